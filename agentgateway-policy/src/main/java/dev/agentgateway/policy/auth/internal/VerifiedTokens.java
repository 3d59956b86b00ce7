package dev.agentgateway.policy.auth.internal;

import dev.agentgateway.core.Principal;
import dev.agentgateway.policy.auth.ApiKeys;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens that passed every check, so that a client sending the same token again is not verified
 * again: the signature check dominates the cost of JWT authentication (Envoy's jwt_authn caches the
 * same way). Keyed by the SHA-256 of the exact token text, so only byte-identical tokens hit (a
 * re-encoded variant is simply verified afresh). An entry lives until the token's {@code exp} (plus
 * skew) or {@code maxAgeMillis} after verification, whichever is first; the latter bounds how long a
 * token signed by a key the issuer has withdrawn keeps working. Bounded: when full, expired entries
 * are swept, and if that is not enough the cache starts over, which costs re-verification only.
 */
public final class VerifiedTokens {
    private record Entry(Principal principal, long validUntilMillis) {
    }

    private final int maxEntries;
    private final long maxAgeMillis;
    private final ConcurrentHashMap<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();

    public VerifiedTokens(int maxEntries, long maxAgeMillis) {
        this.maxEntries = maxEntries;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** The principal of a token verified before and still valid at {@code nowMillis}, or {@code null}. */
    public Principal lookup(String token, long nowMillis) {
        if (maxEntries == 0) {
            return null;
        }
        ByteBuffer key = key(token);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nowMillis >= entry.validUntilMillis()) {
            entries.remove(key, entry);
            return null;
        }
        return entry.principal();
    }

    /** Remembers a verified token whose {@code exp} (with skew already added) is {@code expiresAtMillis}. */
    public void remember(String token, Principal principal, long expiresAtMillis, long nowMillis) {
        if (maxEntries == 0) {
            return;
        }
        long validUntil = Math.min(expiresAtMillis, nowMillis + maxAgeMillis);
        if (validUntil <= nowMillis) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(entry -> nowMillis >= entry.validUntilMillis());
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key(token), new Entry(principal, validUntil));
    }

    /** How many tokens are remembered now. */
    public int size() {
        return entries.size();
    }

    private static ByteBuffer key(String token) {
        return ByteBuffer.wrap(ApiKeys.sha256(token));
    }
}
