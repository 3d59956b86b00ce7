package dev.agentgateway.policy.ratelimit;

/**
 * One key's bucket of one {@link Limit}: up to {@code capacity} tokens, refilled continuously. Time is
 * {@code System.nanoTime()}-like (monotonic), so a wall-clock jump changes nothing.
 */
final class TokenBucket {
    /** What a take found: allowed or not, the tokens left, and when the next one or a full bucket comes. */
    record Outcome(boolean allowed, long remaining, long retryAfterNanos, long fullInNanos) {
    }

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long updated;

    TokenBucket(Limit limit, long now) {
        this.capacity = limit.burst();
        this.perNano = (double) limit.quota() / limit.window().toNanos();
        this.tokens = capacity;
        this.updated = now;
    }

    /**
     * Takes {@code cost} tokens if the bucket holds them. A cost above the capacity can never be
     * taken: its retry time is that of a full bucket.
     */
    synchronized Outcome take(long now, long cost) {
        refill(now);
        boolean allowed = tokens >= cost;
        if (allowed) {
            tokens -= cost;
        }
        long retry = allowed ? 0 : (long) Math.ceil((Math.min(cost, capacity) - tokens) / perNano);
        return new Outcome(allowed, (long) Math.max(0, Math.floor(tokens)), retry, (long) Math.ceil((capacity - tokens) / perNano));
    }

    /**
     * Adds {@code delta} tokens (removes them when negative) without condition, never above the
     * capacity: a refund, or a correction once the real cost is known. The bucket may go below zero,
     * and then refuses until it has refilled.
     */
    synchronized void adjust(long now, long delta) {
        refill(now);
        tokens = Math.min(capacity, tokens + delta);
    }

    private void refill(long now) {
        long elapsed = now - updated;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updated = now;
        }
    }
}
