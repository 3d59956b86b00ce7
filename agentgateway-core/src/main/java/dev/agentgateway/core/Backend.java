package dev.agentgateway.core;

import java.util.List;

/**
 * What serves a route: an HTTP upstream ({@link HttpBackend}), a fixed answer ({@link DirectResponse}),
 * or a protocol module's backend (MCP, A2A, LLM). A backend may block: it runs on the request's
 * virtual thread.
 *
 * <pre>{@code
 * Backend hello = exchange -> Response.text(200, "hello " + exchange.pathParameters().get("name"));
 * }</pre>
 *
 * <p>A configured backend is an immutable value that may be used by several gateways; {@link #bind}
 * gives each gateway its own running instance (connection pools, sessions, child processes).
 */
@FunctionalInterface
public interface Backend {

    /** Serves the exchange. Throw {@link GatewayException} for failures that map to an HTTP status. */
    Response handle(Exchange exchange) throws Exception;

    /**
     * Reads what policies need to know before they run, such as a JSON-RPC method or the requested
     * model, and records it as exchange attributes (typically an {@link Operation}). Runs after route
     * matching and before the policy chain. May read the body with {@link Exchange#requestBodyBytes()}.
     * A response returned here is sent instead of running the chain (a protocol error, for example);
     * {@code null} means carry on.
     */
    default Response inspect(Exchange exchange) throws Exception {
        return null;
    }

    /**
     * The answer to a failure of this route in the shape the backend's clients understand. Policies
     * call it through {@link Exchange#errorResponse(GatewayException)} (a 401 from authentication, a
     * 429 from a rate limit) and the gateway calls it for every {@link GatewayException} thrown while
     * the route is served. The default is the gateway's JSON body ({@link Response#error}); protocol
     * backends answer as their protocol does: a JSON-RPC error for MCP and A2A, an OpenAI or Anthropic
     * error object for LLM routes. The HTTP status stays {@code error.status()}.
     *
     * <pre>{@code
     * Response denied = exchange.errorResponse(new GatewayException(403, "forbidden", "Not allowed"));
     * }</pre>
     */
    default Response errorResponse(Exchange exchange, GatewayException error) {
        return Response.error(error.status(), error.code(), error.getMessage());
    }

    /** Policies that belong to this backend; they run after gateway- and route-level ones of their phase. */
    default List<Policy> policies() {
        return List.of();
    }

    /** A short name for logs and metrics, such as {@code "http"}, {@code "mcp"}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Returns the instance that serves one gateway, acquiring what it needs (HTTP clients, processes)
     * from {@code gateway}. Stateless backends return {@code this}. Called once per gateway start.
     */
    default Backend bind(GatewayContext gateway) throws Exception {
        return this;
    }

    /**
     * The gateway has begun to close: it accepts no new requests and will wait for those in flight, up
     * to its grace period, before calling {@link #close()}. End what need not be waited for, such as
     * idle event streams whose clients will reconnect elsewhere, so that the drain is not held up by them.
     */
    default void drain() {
    }

    /** Releases what {@link #bind} acquired (stops processes, closes sessions); called when the gateway stops. */
    default void close() throws Exception {
    }
}
