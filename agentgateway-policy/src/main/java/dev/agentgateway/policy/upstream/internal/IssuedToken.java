package dev.agentgateway.policy.upstream.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * A token from a token endpoint and the two instants that govern its cache entry: from
 * {@code refreshAt} a new one is fetched, until {@code expiresAt} this one may still be served.
 *
 * @param value the token text
 * @param refreshAt when to start fetching a replacement
 * @param expiresAt when it stops being served
 */
public record IssuedToken(String value, Instant refreshAt, Instant expiresAt) {

    /**
     * A token issued at {@code now} for {@code lifetime}: refreshed when less than
     * max({@code minMargin}, 10% of the lifetime) remains, but never before half of the lifetime has
     * passed (so that a short-lived token is still cached, not fetched for every request).
     */
    public static IssuedToken of(String value, Instant now, Duration lifetime, Duration minMargin) {
        Duration margin = max(minMargin, lifetime.dividedBy(10));
        Duration half = lifetime.dividedBy(2);
        if (margin.compareTo(half) > 0) {
            margin = half;
        }
        Instant expiresAt = now.plus(lifetime);
        return new IssuedToken(value, expiresAt.minus(margin), expiresAt);
    }

    /** This token, served no later than {@code limit} (the expiry of the token it was exchanged for). */
    public IssuedToken notAfter(Instant limit) {
        return new IssuedToken(value, min(refreshAt, limit), min(expiresAt, limit));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() { // never the token
        return "IssuedToken[refreshAt=" + refreshAt + ", expiresAt=" + expiresAt + "]";
    }
}
