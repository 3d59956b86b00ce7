package dev.agentgateway.core;

/**
 * A synchronous interceptor around a backend: authentication, authorization, rate limits, CORS,
 * header and path rewrites are all policies. A policy either answers on its own (short-circuit, for
 * example 401, 403 or 429) or calls {@link Chain#proceed(Exchange)} and may change the request before
 * and the response after.
 *
 * <pre>{@code
 * Policy requireTenant = (exchange, next) -> {
 *     if (!exchange.requestHeaders().contains("X-Tenant")) {
 *         return Response.json(400, "{\"error\":\"X-Tenant is required\"}");
 *     }
 *     Response response = next.proceed(exchange);
 *     response.header("X-Served-By", "agentgateway");
 *     return response;
 * };
 * }</pre>
 *
 * <p>Policies attach to the gateway, a route or a backend. They run in {@link Phase} order first, then
 * by level (gateway, route, backend), then in the order they were added. Policies run on the request's
 * virtual thread and may block.
 */
@FunctionalInterface
public interface Policy {

    /** Handles the exchange: answer directly, or call {@code next.proceed(exchange)}. */
    Response apply(Exchange exchange, Chain next) throws Exception;

    /** When this policy runs relative to others; custom policies default to {@link Phase#DEFAULT}. */
    default Phase phase() {
        return Phase.DEFAULT;
    }

    /**
     * Returns the instance that serves one gateway. Policies with state (rate-limit counters, key
     * caches) return a fresh instance here so that two gateways never share it; stateless ones return
     * {@code this}. Called once per gateway start.
     */
    default Policy bind(GatewayContext gateway) throws Exception {
        return this;
    }

    /** Releases what {@link #bind} acquired; called when the gateway stops. */
    default void close() throws Exception {
    }

    /** The rest of the chain: further policies, then the backend. */
    @FunctionalInterface
    interface Chain {
        /** Passes the exchange on and returns the response the rest of the chain produced. */
        Response proceed(Exchange exchange) throws Exception;
    }

    /**
     * The order in which policies run, whatever level they are attached to: a route's authentication
     * always runs before a gateway-wide rate limit that keys on the principal.
     */
    enum Phase {
        /** Answers that must not need credentials, such as CORS preflights. */
        PREFLIGHT,
        /** Establishes the {@link Principal}. */
        AUTHENTICATION,
        /** Allows or denies, on the principal, the route and the {@link Operation}. */
        AUTHORIZATION,
        /** Request and token budgets. */
        RATE_LIMIT,
        /** Custom policies. */
        DEFAULT,
        /** Header and path rewrites, right before the backend. */
        TRANSFORM
    }
}
