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
        this.perNano = (double) limit.requests() / limit.window().toNanos();
        this.tokens = capacity;
        this.updated = now;
    }

    synchronized Outcome take(long now) {
        refill(now);
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        long retry = allowed ? 0 : (long) Math.ceil((1 - tokens) / perNano);
        return new Outcome(allowed, (long) Math.floor(tokens), retry, (long) Math.ceil((capacity - tokens) / perNano));
    }

    /** Gives back a token taken for a request that another limit refused. */
    synchronized void refund(long now) {
        refill(now);
        tokens = Math.min(capacity, tokens + 1);
    }

    private void refill(long now) {
        long elapsed = now - updated;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * perNano);
            updated = now;
        }
    }
}
