package dev.agentgateway.policy.auth;

import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * An immutable set of keys indexed by hash, replaced whole on every change so that readers never
 * lock. Looking up by the hex of the hash branches on the hash's bytes, not the key's: timing can at
 * most reveal a stored hash, which is worthless without inverting SHA-256 on a random key, and
 * {@link ApiKeyAuth} compares the full hash with {@link java.security.MessageDigest#isEqual} anyway.
 */
final class ApiKeyIndex {
    static final ApiKeyIndex EMPTY = new ApiKeyIndex(Map.of(), Map.of());

    private final Map<String, ApiKey> byHash;
    private final Map<String, ApiKey> byName;

    private ApiKeyIndex(Map<String, ApiKey> byHash, Map<String, ApiKey> byName) {
        this.byHash = Map.copyOf(byHash);
        this.byName = Map.copyOf(byName);
    }

    /** An index of {@code keys}; names and hashes must be unique. */
    static ApiKeyIndex of(Collection<ApiKey> keys) {
        ApiKeyIndex index = EMPTY;
        for (ApiKey key : keys) {
            index = index.with(key);
        }
        return index;
    }

    ApiKey lookup(byte[] sha256) {
        return byHash.get(HexFormat.of().formatHex(sha256));
    }

    int size() {
        return byName.size();
    }

    /** This index and {@code key}. */
    ApiKeyIndex with(ApiKey key) {
        String hash = HexFormat.of().formatHex(key.sha256());
        if (byName.containsKey(key.name())) {
            throw new IllegalArgumentException("an API key named '" + key.name() + "' exists already");
        }
        if (byHash.containsKey(hash)) {
            // say which existing key collides, not which hash: the names are what the operator knows
            throw new IllegalArgumentException("API key '" + key.name() + "' is the same key as '"
                    + byHash.get(hash).name() + "'");
        }
        Map<String, ApiKey> hashes = new HashMap<>(byHash);
        Map<String, ApiKey> names = new HashMap<>(byName);
        hashes.put(hash, key);
        names.put(key.name(), key);
        return new ApiKeyIndex(hashes, names);
    }

    /** This index without the key called {@code name} (this one when there is none). */
    ApiKeyIndex without(String name) {
        ApiKey key = byName.get(name);
        if (key == null) {
            return this;
        }
        Map<String, ApiKey> hashes = new HashMap<>(byHash);
        Map<String, ApiKey> names = new HashMap<>(byName);
        hashes.remove(HexFormat.of().formatHex(key.sha256()));
        names.remove(name);
        return new ApiKeyIndex(hashes, names);
    }
}
