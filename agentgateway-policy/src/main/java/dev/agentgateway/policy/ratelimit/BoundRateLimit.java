package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** {@link RateLimit} serving one gateway: each limit's buckets, meters and answers. */
final class BoundRateLimit implements Policy {
    private record Counted(Limit limit, Buckets buckets, Counter allowed, Counter limited) {
    }

    private record Taken(Counted counted, String key, TokenBucket.Outcome outcome) {
    }

    private final List<Counted> limits = new ArrayList<>();

    BoundRateLimit(List<Limit> limits, BucketStore store, LongSupplier nanoTime, GatewayContext context) {
        for (Limit limit : limits) {
            LimitMeters meters = LimitMeters.of(context, limit);
            this.limits.add(new Counted(limit, meters.buckets(store, limit, context, nanoTime), meters.allowed(), meters.limited()));
        }
    }

    @Override
    public Phase phase() {
        return Phase.RATE_LIMIT;
    }

    @Override
    public void close() {
        for (Counted counted : limits) {
            counted.buckets().close();
        }
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        List<Taken> taken = new ArrayList<>(limits.size());
        for (Counted counted : limits) {
            String key = counted.limit().key().of(exchange);
            if (key == null) {
                continue;
            }
            TokenBucket.Outcome outcome = counted.buckets().take(key, 1);
            if (!outcome.allowed()) {
                counted.limited().increment();
                for (Taken earlier : taken) {
                    earlier.counted().buckets().adjust(earlier.key(), 1); // a refused request takes nothing
                }
                return refuse(exchange, counted.limit(), outcome);
            }
            counted.allowed().increment();
            taken.add(new Taken(counted, key, outcome));
        }
        Response response = next.proceed(exchange);
        Taken closest = null;
        for (Taken t : taken) {
            if (closest == null || RateLimitHeaders.closerToItsEnd(t.counted().limit(), t.outcome(), closest.counted().limit(), closest.outcome())) {
                closest = t;
            }
        }
        if (closest != null && response != null) {
            RateLimitHeaders.add(response, closest.counted().limit(), closest.outcome());
        }
        return response;
    }

    private static Response refuse(Exchange exchange, Limit limit, TokenBucket.Outcome outcome) {
        return RateLimitHeaders.refuse(exchange, limit, outcome, "Rate limit '" + limit.name() + "' exceeded (" + limit.quota()
                + " requests per " + RateLimitHeaders.seconds(limit.window().toNanos()) + " s)", true);
    }
}
