package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.agentgateway.core.Checks;
import dev.agentgateway.core.UpstreamCredentials;
import dev.agentgateway.core.UpstreamTls;
import dev.agentgateway.mcp.internal.TargetNames;

/**
 * A server speaking the legacy HTTP+SSE transport (MCP 2024-11-05): the gateway opens the event stream at
 * {@code uri} (such as {@code http://host/sse}), learns the message endpoint from its {@code endpoint} event
 * and posts messages there; one stream (one upstream session) per client session.
 *
 * <p><b>Credentials.</b> The client's own token is not sent upstream (MCP forbids passing a token through
 * to a server that is not its audience). The target authenticates with {@link #withCredentials}: a static
 * token ({@link #withBearerToken}), a token per principal ({@link UpstreamCredentials#perPrincipal}), the
 * gateway's own OAuth client credentials or an RFC 8693 token exchange of the caller's token (both in
 * {@code agentgateway-policy}), or, opted into, the caller's own credential
 * ({@link #withAuthorizationPassthrough}). Credentials are taken per request, for the caller whose request
 * caused it; the handshake, the GET stream and the closing DELETE use the session's latest caller. When
 * they cannot be obtained, the upstream request fails with a JSON-RPC error naming the target.
 *
 * <pre>{@code
 * McpTarget.sse("legacy", URI.create("http://127.0.0.1:9002/sse"))
 *          .withCredentials(ClientCredentials.builder()
 *                  .issuer("https://sso.example.com/realms/agents")
 *                  .clientSecretBasic("agentgateway", System.getenv("GATEWAY_CLIENT_SECRET"))
 *                  .build())
 *          .withRequestTimeout(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p><b>TLS.</b> An {@code https} endpoint is verified against the JVM's trusted CAs unless
 * {@link #withTls} says otherwise: a private CA bundle, a client certificate for servers that require
 * mTLS, a server name other than the endpoint's host. A target with its own TLS gets its own connections.
 *
 * <pre>{@code
 * McpTarget.sse("tools", URI.create("https://legacy.internal:8443/sse"))
 *          .withTls(UpstreamTls.builder()
 *                  .caBundle(Path.of("/etc/tls/internal-ca.pem"))
 *                  .clientCertificate(Path.of("/etc/tls/gateway.crt"), Path.of("/etc/tls/gateway.key"))
 *                  .build());
 * }</pre>
 *
 * @param name the target's name
 * @param uri the endpoint
 * @param headers headers sent with every request to this target
 * @param credentials how the gateway authenticates to the target on a caller's behalf
 * @param requestTimeout how long a request may take
 * @param tls trust, client certificate and server name for an {@code https} endpoint, or {@code null} for the JVM's trust
 */
public record SseTarget(String name, URI uri, Map<String, String> headers, UpstreamCredentials credentials,
                            Duration requestTimeout, UpstreamTls tls) implements McpTarget {

    public SseTarget {
        TargetNames.check(name);
        TargetNames.httpUri(name, uri);
        headers = Map.copyOf(requireNonNull(headers, "headers"));
        requireNonNull(credentials, "credentials");
        Checks.positive(requestTimeout, "requestTimeout");
    }

    static SseTarget of(String name, URI uri) {
        return new SseTarget(name, uri, Map.of(), UpstreamCredentials.none(), Duration.ofSeconds(60), null);
    }

    /** Sends this header with every request to the target. */
    public SseTarget withHeader(String header, String value) {
        return new SseTarget(name, uri, TargetNames.withHeader(headers, header, value), credentials, requestTimeout, tls);
    }

    /** Authenticates to the target with {@code Authorization: Bearer <token>}, the same for every caller. */
    public SseTarget withBearerToken(String token) {
        return withCredentials(UpstreamCredentials.bearer(token));
    }

    /**
     * How the gateway authenticates to the target (default {@link UpstreamCredentials#none()}); the headers
     * they give win over {@link #withHeader} ones of the same name.
     */
    public SseTarget withCredentials(UpstreamCredentials credentials) {
        return new SseTarget(name, uri, headers, credentials, requestTimeout, tls);
    }

    /**
     * Whether the caller's own credential is sent to this target (default false): the client's
     * {@code Authorization} header, or, behind an authentication policy that removed it, the bearer token the
     * policy accepted. Only for a target that is that token's audience. {@code true} sets
     * {@link UpstreamCredentials#passthrough()}, {@code false} {@link UpstreamCredentials#none()}.
     */
    public SseTarget withAuthorizationPassthrough(boolean passthrough) {
        return withCredentials(passthrough ? UpstreamCredentials.passthrough() : UpstreamCredentials.none());
    }

    /**
     * How the gateway verifies an {@code https} endpoint and authenticates to it with a certificate
     * (default: the JVM's trusted CAs, no client certificate); see {@link UpstreamTls}.
     */
    public SseTarget withTls(UpstreamTls tls) {
        return new SseTarget(name, uri, headers, credentials, requestTimeout, requireNonNull(tls, "tls"));
    }

    /** How long a request may take (default 60 s). */
    public SseTarget withRequestTimeout(Duration timeout) {
        return new SseTarget(name, uri, headers, credentials, timeout, tls);
    }
}
