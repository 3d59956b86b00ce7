package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import dev.agentgateway.core.Checks;
import dev.agentgateway.mcp.internal.TargetNames;

/**
 * A server speaking the legacy HTTP+SSE transport (MCP 2024-11-05): the gateway opens the event stream at
 * {@code uri} (such as {@code http://host/sse}), learns the message endpoint from its {@code endpoint} event
 * and posts messages there; one stream (one upstream session) per client session.
 *
 * <p>The client's {@code Authorization} header is not sent upstream unless {@link #withAuthorizationPassthrough}
 * is set (MCP forbids passing tokens through to a different audience); give the target its own
 * credentials with {@link #withBearerToken} or {@link #withHeader}. Behind an authentication policy that
 * removes the client's header, passthrough sends the bearer token the policy accepted
 * ({@link dev.agentgateway.core.Exchange#credential()}) as {@code Authorization: Bearer ...}.
 *
 * <pre>{@code
 * McpTarget.sse("legacy", URI.create("http://127.0.0.1:9002/sse"))
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
public record SseTarget(String name, URI uri, Map<String, String> headers, boolean authorizationPassthrough,
                            Duration requestTimeout) implements McpTarget {

    public SseTarget {
        TargetNames.check(name);
        TargetNames.httpUri(name, uri);
        headers = Map.copyOf(requireNonNull(headers, "headers"));
        Checks.positive(requestTimeout, "requestTimeout");
    }

    static SseTarget of(String name, URI uri) {
        return new SseTarget(name, uri, Map.of(), false, Duration.ofSeconds(60));
    }

    /** Sends this header with every request to the target. */
    public SseTarget withHeader(String header, String value) {
        return new SseTarget(name, uri, TargetNames.withHeader(headers, header, value), authorizationPassthrough, requestTimeout);
    }

    /** Authenticates to the target with {@code Authorization: Bearer <token>}. */
    public SseTarget withBearerToken(String token) {
        requireNonNull(token, "token");
        return withHeader("Authorization", "Bearer " + token);
    }

    /** Whether the client's own {@code Authorization} header is forwarded to this target (default false). */
    public SseTarget withAuthorizationPassthrough(boolean passthrough) {
        return new SseTarget(name, uri, headers, passthrough, requestTimeout);
    }

    /** How long a request may take (default 60 s). */
    public SseTarget withRequestTimeout(Duration timeout) {
        return new SseTarget(name, uri, headers, authorizationPassthrough, timeout);
    }
}
