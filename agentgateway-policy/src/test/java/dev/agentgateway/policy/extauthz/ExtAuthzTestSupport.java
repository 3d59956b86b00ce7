package dev.agentgateway.policy.extauthz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.GatewayExtension;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

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
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code /api/forbidden} is denied with 403 and the service's message, {@code /api/login} with 401 and its challenge. */
    static void assertDenials(GatewayExtension gateway, String challenge) throws Exception {
        HttpResponse<String> forbidden = get(gateway, "/api/forbidden");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("ext_authz_denied").contains("not your repository");
        HttpResponse<String> login = get(gateway, "/api/login");
        assertThat(login.statusCode()).isEqualTo(401);
        assertThat(login.headers().firstValue("WWW-Authenticate")).hasValue(challenge);
    }

    /** Each path fails closed (403, {@code ext_authz_error}) under {@code /api}, quickly, and goes through under {@code /open}. */
    static void assertFailClosedAndOpen(GatewayExtension gateway, String... paths) throws Exception {
        for (String path : paths) {
            long started = System.nanoTime();
            HttpResponse<String> closed = get(gateway, "/api" + path);
            assertThat(closed.statusCode()).as(path).isEqualTo(403);
            assertThat(closed.body()).as(path).contains("ext_authz_error");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as(path).isLessThan(Duration.ofMillis(1500));
            assertThat(get(gateway, "/open" + path).statusCode()).as(path).isEqualTo(200);
        }
    }

    /** Starts an authorization service on a port. */
    interface ServiceStarter {
        AutoCloseable start(int port) throws Exception;
    }

    /** A gateway checking with the service on one port allows, fails closed once it stops, and allows again soon after it is back. */
    static void assertRestartedServiceIsUsedAgain(ServiceStarter starter, IntFunction<ExtAuthz> policy, String upstream)
            throws Exception {
        int port = freePort();
        AutoCloseable service = starter.start(port);
        GatewayExtension restarting = GatewayExtension.of(g -> g.route(Route.builder("r").pathPrefix("/")
                .policy(policy.apply(port)).backend(HttpBackend.of(upstream)).build()));
        restarting.start();
        try {
            assertThat(get(restarting, "/x").statusCode()).isEqualTo(200);
            service.close();
            assertThat(get(restarting, "/x").statusCode()).isEqualTo(403);
            service = starter.start(port);
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos(); // a loaded machine may take a moment
            int status;
            while ((status = get(restarting, "/x").statusCode()) != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(status).as("once the service is back").isEqualTo(200);
        } finally {
            restarting.stop();
            service.close();
        }
    }

    /** The count of checks with this outcome. */
    static double checks(GatewayExtension gateway, String outcome) {
        var counter = gateway.meterRegistry().find(ExtAuthz.METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}
