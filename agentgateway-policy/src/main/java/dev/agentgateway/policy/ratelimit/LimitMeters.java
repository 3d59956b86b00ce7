package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.GatewayContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;

/**
 * The meters every limit has, whatever it counts: requests allowed and limited
 * ({@code agentgateway.ratelimit.requests}) and buckets pushed out before they were full again
 * ({@code agentgateway.ratelimit.evictions}), tagged by gateway and limit name.
 */
record LimitMeters(Counter allowed, Counter limited, Counter evictions) {

    static LimitMeters of(GatewayContext gateway, Limit limit) {
        MeterRegistry registry = gateway.meterRegistry();
        return new LimitMeters(outcome(registry, gateway.name(), limit, "allowed"), outcome(registry, gateway.name(), limit, "limited"),
                Counter.builder("agentgateway.ratelimit.evictions")
                        .description("Rate-limit buckets pushed out by the key bound before they were full again")
                        .tags("gateway", gateway.name(), "limit", limit.name()).register(registry));
    }

    /** The buckets of {@code limit} in {@code store}, counting their evictions here. */
    Buckets buckets(BucketStore store, Limit limit, GatewayContext gateway, LongSupplier nanoTime) {
        return store.buckets(limit, gateway, nanoTime, evictions::increment);
    }

    private static Counter outcome(MeterRegistry registry, String gateway, Limit limit, String outcome) {
        return Counter.builder("agentgateway.ratelimit.requests").description("Requests checked against a rate limit, by limit and outcome")
                .tags("gateway", gateway, "limit", limit.name(), "outcome", outcome).register(registry);
    }
}
