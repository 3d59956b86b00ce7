package dev.agentgateway.policy.ratelimit;

/** One {@link Limit}'s buckets, by key, wherever a {@link BucketStore} keeps them. */
interface Buckets extends AutoCloseable {

    /** Takes {@code cost} from {@code key}'s bucket if it holds that much (atomically). */
    TokenBucket.Outcome take(String key, long cost);

    /** Adds {@code delta} (removes, when negative) without condition: refunds and corrections. */
    void adjust(String key, long delta);

    @Override
    default void close() {
    }
}
