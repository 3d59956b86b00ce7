package dev.agentgateway.policy.extauthz;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.test.GatewayExtension;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Requests to the gateway, a caller who says who they are, and a backend that records an operation. */
final class ExtAuthzTestSupport {
    /** The operation {@link #toolBackend} records: a resource name that needs percent-encoding. */
    static final Operation TOOL_CALL = new Operation("mcp", "call_tool", "Tool", "github_search é", Map.of());

    private ExtAuthzTestSupport() {
    }

    /** GET {@code path} with header name/value pairs. */
    static HttpResponse<String> get(GatewayExtension gateway, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Authentication stand-in: {@code x-test-user: alice} makes the caller {@code alice} ({@code jwt}). */
    static Policy testUser() {
        return new Policy() {
            @Override
            public Response apply(Exchange exchange, Chain next) throws Exception {
                String user = exchange.requestHeaders().get("x-test-user");
                if (user != null) {
                    exchange.attribute(Principal.KEY, Principal.of(user, "jwt"));
                }
                return next.proceed(exchange);
            }

            @Override
            public Phase phase() {
                return Phase.AUTHENTICATION;
            }
        };
    }

    /** A protocol backend in miniature: records {@link #TOOL_CALL} in {@code inspect} and counts the calls it serves. */
    static Backend toolBackend(AtomicInteger served) {
        return new Backend() {
            @Override
            public Response inspect(Exchange exchange) {
                exchange.attribute(Operation.KEY, TOOL_CALL);
                return null;
            }

            @Override
            public Response handle(Exchange exchange) {
                served.incrementAndGet();
                return Response.text(200, "tool result for " + exchange.requestHeaders().get("x-user-id"));
            }
        };
    }

    /** A port nothing listens on (free a moment ago). */
    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The count of checks with this outcome. */
    static double checks(GatewayExtension gateway, String outcome) {
        var counter = gateway.meterRegistry().find(ExtAuthz.METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
