package dev.agentgateway.core.internal;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Route;

/**
 * A route as one gateway serves it: its bound backend, its policy chain and its body limit.
 *
 * @param nonBlocking the backend, when the route can be served without blocking (no policies but the
 *                    route's own rewrites, a {@link NonBlockingBackend}); else {@code null}
 * @param transforms the route's rewrites, or {@code null}
 */
record BoundRoute(Route route, Backend backend, PolicyChain chain, long maxRequestBodySize,
                  NonBlockingBackend nonBlocking, RouteTransforms transforms) {
}
