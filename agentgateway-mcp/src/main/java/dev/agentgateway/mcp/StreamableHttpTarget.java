package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.agentgateway.core.Checks;
import dev.agentgateway.mcp.internal.TargetNames;

/**
 * A server speaking Streamable HTTP (MCP 2025-03-26 and later) at one endpoint such as {@code http://host/mcp}.
 * The gateway keeps one upstream session ({@code Mcp-Session-Id}) per client session, resumes a dropped
 * response stream with {@code Last-Event-ID} when the server primed it, and re-initialises transparently
 * when the server forgets the session (404).
 *
 * <p>The client's {@code Authorization} header is not sent upstream unless {@link #withAuthorizationPassthrough}
 * is set (MCP forbids passing tokens through to a different audience); give the target its own
 * credentials with {@link #withBearerToken} or {@link #withHeader}. Behind an authentication policy that
 * removes the client's header, passthrough sends the bearer token the policy accepted
 * ({@link dev.agentgateway.core.Exchange#credential()}) as {@code Authorization: Bearer ...}.
 *
 * <pre>{@code
 * McpTarget.streamableHttp("weather", URI.create("http://127.0.0.1:9001/mcp"))
 *          .withBearerToken(System.getenv("WEATHER_TOKEN"))
 *          .withRequestTimeout(Duration.ofSeconds(30));
 * }</pre>
 *
 * @param name the target's name
 * @param uri the endpoint
 * @param headers headers sent with every request to this target
 * @param authorizationPassthrough whether the client's {@code Authorization} header is forwarded
 * @param requestTimeout how long a request may take
 */
public record StreamableHttpTarget(String name, URI uri, Map<String, String> headers, boolean authorizationPassthrough,
                            Duration requestTimeout) implements McpTarget {

    public StreamableHttpTarget {
        TargetNames.check(name);
        TargetNames.httpUri(name, uri);
        headers = Map.copyOf(requireNonNull(headers, "headers"));
        Checks.positive(requestTimeout, "requestTimeout");
    }

    static StreamableHttpTarget of(String name, URI uri) {
        return new StreamableHttpTarget(name, uri, Map.of(), false, Duration.ofSeconds(60));
    }

    /** Sends this header with every request to the target. */
    public StreamableHttpTarget withHeader(String header, String value) {
        return new StreamableHttpTarget(name, uri, TargetNames.withHeader(headers, header, value), authorizationPassthrough, requestTimeout);
    }

    /** Authenticates to the target with {@code Authorization: Bearer <token>}. */
    public StreamableHttpTarget withBearerToken(String token) {
        requireNonNull(token, "token");
        return withHeader("Authorization", "Bearer " + token);
    }

    /** Whether the client's own {@code Authorization} header is forwarded to this target (default false). */
    public StreamableHttpTarget withAuthorizationPassthrough(boolean passthrough) {
        return new StreamableHttpTarget(name, uri, headers, passthrough, requestTimeout);
    }

    /** How long a request may take (default 60 s). */
    public StreamableHttpTarget withRequestTimeout(Duration timeout) {
        return new StreamableHttpTarget(name, uri, headers, authorizationPassthrough, timeout);
    }
}
