package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.Response;

/**
 * The IETF rate-limit headers (draft-ietf-httpapi-ratelimit-headers, structured fields):
 * {@code RateLimit-Policy: "per-user";q=600;w=60} and {@code RateLimit: "per-user";r=12;t=3}, where
 * {@code r} is what is left and {@code t} the seconds until the next request may pass (when refused)
 * or until the bucket is full again (when allowed).
 */
final class RateLimitHeaders {
    private RateLimitHeaders() {
    }

    static void add(Response response, Limit limit, TokenBucket.Outcome outcome) {
        response.header("RateLimit-Policy", "\"" + limit.name() + "\";q=" + limit.quota() + ";w=" + seconds(limit.window().toNanos()));
        long reset = outcome.allowed() ? outcome.fullInNanos() : outcome.retryAfterNanos();
        response.header("RateLimit", "\"" + limit.name() + "\";r=" + outcome.remaining() + ";t=" + seconds(reset));
    }

    /** Whole seconds, rounded up: a client that waits that long finds a token. */
    static long seconds(long nanos) {
        return Math.max(0, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
