package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Map;

/**
 * Authenticates the request an HTTP or A2A backend forwards: sets the headers {@link UpstreamCredentials}
 * give for the exchange's {@link Caller}, replacing headers of the same name the client sent. It runs in
 * {@link Phase#TRANSFORM}, after authentication, so per-principal credentials and token exchange see the
 * principal. (MCP targets call upstreams on their own, per target: give those credentials with
 * {@code McpTarget...withCredentials}.)
 *
 * <pre>{@code
 * Route.builder("agents").pathPrefix("/agents/planner")
 *      .policy(Authentication.required(jwt))
 *      .policy(UpstreamAuthentication.of(TokenExchange.builder()...audience("planner").build()))
 *      .backend(A2aBackend.builder().url("http://127.0.0.1:9100").build());
 * }</pre>
 *
 * <p>When the credentials cannot be obtained the exchange answers 502 in the route's protocol shape and
 * the upstream is not called.
 */
public final class UpstreamAuthentication implements Policy {
    private final UpstreamCredentials credentials;

    private UpstreamAuthentication(UpstreamCredentials credentials) {
        this.credentials = credentials;
    }

    /** A policy that authenticates forwarded requests with {@code credentials}. */
    public static UpstreamAuthentication of(UpstreamCredentials credentials) {
        return new UpstreamAuthentication(requireNonNull(credentials, "credentials"));
    }

    @Override
    public Phase phase() {
        return Phase.TRANSFORM;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        Map<String, String> headers;
        try {
            headers = credentials.headers(Caller.of(exchange));
        } catch (IOException | RuntimeException e) {
            return exchange.errorResponse(GatewayException.badGateway("No credentials for the upstream: " + e.getMessage(), e));
        }
        if (headers != null) {
            headers.forEach(exchange.requestHeaders()::put);
        }
        return next.proceed(exchange);
    }
}
