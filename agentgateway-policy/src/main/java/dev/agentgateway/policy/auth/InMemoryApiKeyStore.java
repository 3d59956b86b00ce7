package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicReference;

/**
 * API keys held in memory, added and revoked at run time: requests see a change at once, without a
 * restart. Thread-safe; lookups never lock. One store may serve several gateways.
 *
 * <pre>{@code
 * InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
 * keys.add(ApiKey.builder("alice-laptop").key(issuedKey).subject("alice").roles("user").build());
 * Policy auth = Authentication.required(ApiKeyAuth.builder().store(keys).build());
 * // later, when the laptop is lost:
 * keys.revoke("alice-laptop");
 * }</pre>
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final AtomicReference<ApiKeyIndex> index = new AtomicReference<>(ApiKeyIndex.EMPTY);

    /** An empty store. */
    public InMemoryApiKeyStore() {
    }

    /** A store holding {@code keys}. */
    public static InMemoryApiKeyStore of(ApiKey... keys) {
        InMemoryApiKeyStore store = new InMemoryApiKeyStore();
        for (ApiKey key : keys) {
            store.add(key);
        }
        return store;
    }

    /**
     * Adds a key.
     *
     * @throws IllegalArgumentException when a key with the same name or the same hash is present:
     *     to rotate, add the new key under a new name and revoke the old one
     */
    public InMemoryApiKeyStore add(ApiKey key) {
        requireNonNull(key, "key");
        index.updateAndGet(current -> current.with(key));
        return this;
    }

    /** Revokes the key called {@code name}; returns whether there was one. */
    public boolean revoke(String name) {
        requireNonNull(name, "name");
        ApiKeyIndex before = index.getAndUpdate(current -> current.without(name));
        return before.without(name) != before;
    }

    /** How many keys the store holds. */
    public int size() {
        return index.get().size();
    }

    @Override
    public ApiKey lookup(byte[] sha256) {
        return index.get().lookup(sha256);
    }
}
