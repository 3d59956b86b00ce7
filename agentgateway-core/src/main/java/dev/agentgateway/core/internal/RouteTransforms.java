package dev.agentgateway.core.internal;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.HeaderModifier;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;

/** A route's path rewrite and header modifiers, run as the last policy before the backend. */
record RouteTransforms(PathRewrite pathRewrite, HeaderModifier requestHeaders, HeaderModifier responseHeaders)
        implements Policy {

    /** The transforms of {@code route}, or {@code null} when it has none. */
    static RouteTransforms of(Route route) {
        if (route.pathRewrite() == null && route.requestHeaders() == null && route.responseHeaders() == null) {
            return null;
        }
        return new RouteTransforms(route.pathRewrite(), route.requestHeaders(), route.responseHeaders());
    }

    @Override
    public Phase phase() {
        return Phase.TRANSFORM;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        applyToRequest(exchange);
        Response response = next.proceed(exchange);
        applyToResponse(response);
        return response;
    }

    void applyToRequest(Exchange exchange) {
        if (pathRewrite != null) {
            exchange.path(pathRewrite.apply(exchange));
        }
        if (requestHeaders != null) {
            requestHeaders.apply(exchange.requestHeaders());
        }
    }

    void applyToResponse(Response response) {
        if (responseHeaders != null) {
            responseHeaders.apply(response.headers());
        }
    }
}
