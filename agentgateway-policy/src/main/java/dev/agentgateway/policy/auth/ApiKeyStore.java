package dev.agentgateway.policy.auth;

import dev.agentgateway.core.GatewayContext;

/**
 * Where {@link ApiKeyAuth} looks keys up, by the SHA-256 of the key a client presented. Keys can be
 * added and revoked while the gateway runs: the store is asked on every request. Back it with your
 * own database, or use {@link InMemoryApiKeyStore} or {@link FileApiKeyStore}.
 *
 * <pre>{@code
 * ApiKeyStore fromDatabase = sha256 -> keysTable.findByHash(HexFormat.of().formatHex(sha256)); // null when unknown
 * }</pre>
 *
 * <p>{@link ApiKeyAuth} checks the hash of the returned key against the presented one with
 * {@link java.security.MessageDigest#isEqual}, so a store may look up by index without comparing
 * bytes itself.
 */
@FunctionalInterface
public interface ApiKeyStore {

    /**
     * The key whose SHA-256 is {@code sha256}, or {@code null} when there is none; expired keys are
     * returned (the authenticator tells the client the key expired). An exception fails the request.
     */
    ApiKey lookup(byte[] sha256) throws Exception;

    /** Returns the instance serving one gateway (a file watcher, a connection pool); by default {@code this}. */
    default ApiKeyStore bind(GatewayContext gateway) throws Exception {
        return this;
    }

    /** Releases what {@link #bind} acquired. */
    default void close() throws Exception {
    }
}
