package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.GatewayContext;
import java.util.function.LongSupplier;

/**
 * Where the buckets of limits are kept: in this gateway's memory ({@link #local()}, the default), so
 * each replica limits on its own, or in a shared store, so a limit holds across replicas.
 *
 * <pre>{@code
 * RateLimit.builder().store(BucketStore.local(50_000)).limit(...).build()
 * }</pre>
 */
public abstract class BucketStore {

    BucketStore() { // only this package's stores
    }

    /** This gateway's memory, with buckets for at most 100,000 keys per limit. */
    public static BucketStore local() {
        return local(100_000);
    }

    /**
     * This gateway's memory, with buckets for at most {@code maxKeys} keys per limit; the least
     * recently used go first (see {@code agentgateway.ratelimit.evictions}).
     */
    public static BucketStore local(long maxKeys) {
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("maxKeys must be positive, was " + maxKeys);
        }
        return new BucketStore() {
            @Override
            Buckets buckets(Limit limit, GatewayContext gateway, LongSupplier nanoTime, Runnable onEviction) {
                return new LocalBuckets(limit, maxKeys, nanoTime, onEviction);
            }

            @Override
            public String toString() {
                return "local(" + maxKeys + ")";
            }
        };
    }

    /**
     * The buckets of {@code limit} for one gateway.
     *
     * @param nanoTime the gateway's monotonic clock (a shared store may keep its own)
     * @param onEviction called when a bucket is dropped before it was full again
     */
    abstract Buckets buckets(Limit limit, GatewayContext gateway, LongSupplier nanoTime, Runnable onEviction);
}
