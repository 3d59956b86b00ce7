package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the gateway authenticates to an upstream, per request and on behalf of a {@link Caller}. The
 * client's own token is not sent upstream by default: MCP forbids token passthrough (a token is for
 * its audience, the gateway), so each upstream gets credentials of its own.
 *
 * <ul>
 *   <li>{@link #none()}: nothing (the default);</li>
 *   <li>{@link #bearer(String)}: one static token for every caller;</li>
 *   <li>{@link #perPrincipal(Function)}: a token looked up for the caller, for example in a vault;</li>
 *   <li>{@link #passthrough()}: the caller's own token, opted into for upstreams that are its audience;</li>
 *   <li>in {@code agentgateway-policy}: OAuth client credentials and RFC 8693 token exchange.</li>
 * </ul>
 *
 * <pre>{@code
 * UpstreamCredentials github = UpstreamCredentials.perPrincipal(
 *         principal -> vault.githubToken(principal.subject()));   // Optional<String>
 * McpTarget.streamableHttp("github", URI.create("http://127.0.0.1:9002/mcp")).withCredentials(github);
 * }</pre>
 *
 * <p>{@link #headers} is called for every upstream request, on a virtual thread: implementations that
 * fetch tokens cache them and may block while fetching. A failure (an {@link IOException}) fails that
 * upstream request with a clear error and is never retried with other credentials.
 */
@FunctionalInterface
public interface UpstreamCredentials {

    /**
     * The headers that authenticate one request for {@code caller}, usually just {@code Authorization}.
     *
     * @throws IOException when the credentials cannot be obtained (the token endpoint is down, the caller has none)
     */
    Map<String, String> headers(Caller caller) throws IOException;

    /** No credentials. */
    static UpstreamCredentials none() {
        return caller -> Map.of();
    }

    /** {@code Authorization: Bearer <token>} for every caller. */
    static UpstreamCredentials bearer(String token) {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + requireNonNull(token, "token"));
        return caller -> headers;
    }

    /**
     * The caller's own credential: the client's {@code Authorization} header when it reached the backend,
     * else the bearer token an authentication policy accepted. Nothing for a caller without either.
     */
    static UpstreamCredentials passthrough() {
        return caller -> {
            if (caller.authorization() != null) {
                return Map.of("Authorization", caller.authorization());
            }
            String token = caller.bearerToken();
            return token == null ? Map.of() : Map.of("Authorization", "Bearer " + token);
        };
    }

    /**
     * A bearer token per principal, found by {@code tokens} (called for every request: cache there when
     * the lookup is slow). An anonymous caller, or one for whom {@code tokens} finds nothing, fails the
     * upstream request instead of reaching the upstream unauthenticated.
     */
    static UpstreamCredentials perPrincipal(Function<Principal, Optional<String>> tokens) {
        requireNonNull(tokens, "tokens");
        return caller -> {
            if (caller.principal() == null) {
                throw new IOException("no upstream credentials for an anonymous caller");
            }
            Optional<String> token = tokens.apply(caller.principal());
            if (token == null || token.isEmpty()) {
                throw new IOException("no upstream credentials for " + caller.principal().scheme() + " principal '"
                        + caller.principal().subject() + "'");
            }
            return Map.of("Authorization", "Bearer " + token.get());
        };
    }
}
