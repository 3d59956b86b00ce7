package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
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

    /**
     * A 429 in the route's protocol shape (code {@code rate_limited}), with the headers of the limit
     * that refused; {@code Retry-After} only if waiting can help (a request larger than the limit's
     * burst never fits).
     */
    static Response refuse(Exchange exchange, Limit limit, TokenBucket.Outcome outcome, String what, boolean canWait) {
        long seconds = seconds(outcome.retryAfterNanos());
        Response response = exchange.errorResponse(new GatewayException(429, "rate_limited",
                what + (canWait ? "; retry in " + seconds + " s" : "")));
        if (canWait) {
            response.header("Retry-After", Long.toString(seconds));
        }
        add(response, limit, outcome);
        return response;
    }

    /** Whole seconds, rounded up: a client that waits that long finds a token. */
    static long seconds(long nanos) {
        return Math.max(0, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /**
     * Whether {@code a} is closer to its end than {@code b}: a smaller share of its quota left. The
     * limit the headers of an allowed answer describe. Compared as doubles: remaining × quota of two
     * limits (a budget in micro-dollars beside a token quota) overflows a long.
     */
    static boolean closerToItsEnd(Limit a, TokenBucket.Outcome outcomeA, Limit b, TokenBucket.Outcome outcomeB) {
        return (double) outcomeA.remaining() / a.quota() < (double) outcomeB.remaining() / b.quota();
    }
}
