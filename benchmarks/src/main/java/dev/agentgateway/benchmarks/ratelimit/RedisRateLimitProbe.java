package dev.agentgateway.benchmarks.ratelimit;

import dev.agentgateway.benchmarks.jmh.BenchContext;
import dev.agentgateway.benchmarks.jmh.BenchExchange;
import dev.agentgateway.benchmarks.proxy.FirstEventProbe;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.policy.ratelimit.BucketStore;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import dev.agentgateway.policy.ratelimit.RedisStore;
import dev.agentgateway.test.RedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.http.HttpFields;

/**
 * What a {@link RedisStore} check costs a request, against a real {@code redis-server} on loopback: the
 * bound {@link RateLimit} policy's whole {@code apply} (as in {@code LocalRateLimitBenchmark}), one
 * limit per caller, one hot key, a quota never reached, one Lettuce connection per gateway (the store's
 * design). Measures (a) checks per second with N virtual threads at once (closed loop), (b) the time
 * of one check at a paced rate below saturation (open loop: each check starts on its schedule, so a
 * stall shows in the latency of the checks behind it), (c) the same two with the local store, then
 * optionally (d) wrk through a gateway route with the Redis limit, the local one and none.
 *
 * <p>Usage: {@code RedisRateLimitProbe [seconds=5] [threads=64] [rate=5000] [wrkSeconds=0]}; needs
 * {@code redis-server} (and {@code wrk} for (d)).
 */
public final class RedisRateLimitProbe {
    private static final long NEVER_REFUSED = 1_000_000_000_000L; // per second
    private static final Policy.Chain DONE = exchange -> Response.of(204);

    private RedisRateLimitProbe() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        int wrkSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        System.out.printf("cores=%d java=%s seconds=%d threads=%d paced rate=%d/s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), seconds, threads, rate);
        try (RedisServer redis = RedisServer.start()) { // the test kit's: a free loopback port, no persistence
            BucketStore shared = RedisStore.builder().uri(redis.uri()).build(); // default timeout (50 ms) and FAIL_OPEN
            System.out.println("redis-server on " + redis.uri() + ", store " + shared);
            for (BucketStore store : List.of(shared, BucketStore.local())) {
                probe(store, seconds, threads, rate);
            }
            if (wrkSeconds > 0) {
                GatewayRoutes.compare(shared, wrkSeconds);
            }
        }
    }

    private static void probe(BucketStore store, int seconds, int threads, int rate) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Policy limit = RateLimit.builder().store(store)
                .limit(Limit.of("per-user", NEVER_REFUSED, Duration.ofSeconds(1)).key(RateLimitKey.principal())).build()
                .bind(BenchContext.of(registry));
        try {
            System.out.println("\n== " + store + " ==");
            closedLoop(limit, threads, Math.max(2, seconds / 2)); // warm-up: JIT, Lettuce, the script cached in Redis
            paced(limit, rate, Math.max(2, seconds / 2));
            double failed = failures(registry);
            double perSecond = closedLoop(limit, threads, seconds);
            System.out.printf(Locale.ROOT, "(a) closed loop, %d virtual threads, one key: %.0f checks/s (%.0f failed over to local)%n",
                    threads, perSecond, failures(registry) - failed);
            failed = failures(registry);
            long[][] paced = paced(limit, rate, seconds);
            System.out.printf(Locale.ROOT, "(b) paced at %d/s: one check p50 %.3f ms, p99 %.3f ms, max %.3f ms;"
                    + " from its scheduled start p50 %.3f ms, p99 %.3f ms (%.0f of %d failed over to local)%n", rate,
                    millis(paced[0], 50), millis(paced[0], 99), millis(paced[0], 100), millis(paced[1], 50), millis(paced[1], 99),
                    failures(registry) - failed, paced[0].length);
        } finally {
            limit.close();
        }
    }

    /** Checks per second with {@code threads} virtual threads checking the same caller back to back. */
    private static double closedLoop(Policy limit, int threads, int seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Future<Long>> counts = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                counts.add(executor.submit(() -> {
                    BenchExchange exchange = exchange();
                    long checks = 0;
                    while (System.nanoTime() < end) {
                        limit.apply(exchange, DONE);
                        checks++;
                    }
                    return checks;
                }));
            }
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        return total / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One check started every {@code 1/rate} s on a new virtual thread, as requests arrive; returns the
     * sorted durations of the checks and their times from the scheduled start, in microseconds.
     */
    private static long[][] paced(Policy limit, int rate, int seconds) throws Exception {
        int n = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] service = new long[n];
        long[] response = new long[n];
        long start = System.nanoTime();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                long scheduled = start + i * period;
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                int sample = i;
                BenchExchange exchange = exchange();
                executor.execute(() -> {
                    long begin = System.nanoTime();
                    try {
                        limit.apply(exchange, DONE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    long done = System.nanoTime();
                    service[sample] = (done - begin) / 1000;
                    response[sample] = (done - scheduled) / 1000;
                });
            }
        } // close() waits for every check, so their writes are visible here
        Arrays.sort(service);
        Arrays.sort(response);
        return new long[][] {service, response};
    }

    private static BenchExchange exchange() {
        BenchExchange exchange = new BenchExchange(HttpFields.build());
        exchange.attribute(Principal.KEY, new Principal("alice", "apikey", Set.of(), Map.of()));
        return exchange;
    }

    /** Checks the store could not answer in time (or at all), which the local fallback answered. */
    private static double failures(SimpleMeterRegistry registry) {
        return registry.find("agentgateway.ratelimit.store.failures").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static double millis(long[] sortedMicros, double percentile) {
        return FirstEventProbe.percentile(sortedMicros, percentile) / 1000.0;
    }
}
