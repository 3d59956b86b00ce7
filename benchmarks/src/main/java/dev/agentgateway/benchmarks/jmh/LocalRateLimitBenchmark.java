package dev.agentgateway.benchmarks.jmh;

import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One uncontended check of a local {@link RateLimit}, the whole {@code apply} a request pays (key,
 * bucket, counter, the {@code RateLimit} headers on the answer), with quotas no run can exhaust: one
 * hot key, 10,000 distinct callers in turn (a realistic spread of buckets, past the CPU caches), and two
 * limits on one route (per caller and per route). {@code baseline} is the rest of the chain alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LocalRateLimitBenchmark {
    private static final int CALLERS = 10_000;
    private static final long NEVER_REFUSED = 1_000_000_000_000L; // per second: no run comes near it
    private static final Policy.Chain DONE = exchange -> Response.of(204);

    private Policy oneLimit;
    private Policy twoLimits;
    private BenchExchange exchange;
    private Principal hot;
    private Principal[] callers;
    private int next;

    @Setup
    public void setUp() throws Exception {
        var context = BenchContext.of(new SimpleMeterRegistry());
        Limit perCaller = Limit.of("per-user", NEVER_REFUSED, Duration.ofSeconds(1)).key(RateLimitKey.principal());
        oneLimit = RateLimit.builder().limit(perCaller).build().bind(context);
        twoLimits = RateLimit.builder().limit(perCaller)
                .limit(Limit.of("per-route", NEVER_REFUSED, Duration.ofSeconds(1)).key(RateLimitKey.route())).build().bind(context);
        exchange = new BenchExchange(HttpFields.build().put("Content-Type", "application/json"));
        hot = principal("alice");
        callers = new Principal[CALLERS];
        for (int i = 0; i < CALLERS; i++) {
            callers[i] = principal("user-" + i);
        }
        exchange.attribute(Principal.KEY, hot);
        if (oneLimit.apply(exchange, DONE).headers().get("RateLimit") == null) {
            throw new IllegalStateException("the limit should have answered with its headers");
        }
    }

    private static Principal principal(String subject) {
        return new Principal(subject, "apikey", Set.of(), Map.of());
    }

    @TearDown
    public void tearDown() throws Exception {
        oneLimit.close();
        twoLimits.close();
    }

    /** The chain without the policy: what the three others add to. */
    @Benchmark
    public Response baseline() throws Exception {
        exchange.attribute(Principal.KEY, hot);
        return DONE.proceed(exchange);
    }

    @Benchmark
    public Response oneKey() throws Exception {
        exchange.attribute(Principal.KEY, hot);
        return oneLimit.apply(exchange, DONE);
    }

    @Benchmark
    public Response manyKeys() throws Exception {
        exchange.attribute(Principal.KEY, callers[next]);
        next = next + 1 == CALLERS ? 0 : next + 1;
        return oneLimit.apply(exchange, DONE);
    }

    @Benchmark
    public Response twoLimits() throws Exception {
        exchange.attribute(Principal.KEY, hot);
        return twoLimits.apply(exchange, DONE);
    }
}
