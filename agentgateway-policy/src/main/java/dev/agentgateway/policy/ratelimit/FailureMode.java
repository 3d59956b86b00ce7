package dev.agentgateway.policy.ratelimit;

/**
 * What a shared {@link BucketStore} does when it cannot answer (the store is down, slower than its
 * timeout, or answers an error).
 */
public enum FailureMode {
    /**
     * Keep limiting, each gateway on its own: the check falls back to buckets in this gateway's memory
     * (the same limits, per replica), is counted in {@code agentgateway.ratelimit.store.failures} and
     * logged once per outage. Availability first: callers are not refused because the store is.
     */
    FAIL_OPEN,
    /**
     * Refuse: a request that cannot be checked is answered 429 with {@code Retry-After: 1}, counted and
     * logged as for {@link #FAIL_OPEN}. Enforcement first: a shared budget is never exceeded.
     */
    FAIL_CLOSED
}
