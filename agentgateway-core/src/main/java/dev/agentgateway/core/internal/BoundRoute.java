package dev.agentgateway.core.internal;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Route;

/** A route as one gateway serves it: its bound backend, its policy chain and its body limit. */
record BoundRoute(Route route, Backend backend, PolicyChain chain, long maxRequestBodySize) {
}
