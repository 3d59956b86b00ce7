package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.agentgateway.core.AttributeKey;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Cors;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Policies short-circuit or decorate, run in phase order across levels, and share typed attributes. */
class PolicyTest {
    private static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
    private static final List<String> trace = new CopyOnWriteArrayList<>();
    private static final List<Object> completions = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    /** A policy that records its name when it runs, in a given phase. */
    private static Policy traced(String name, Policy.Phase phase) {
        return new Policy() {
            @Override
            public Response apply(Exchange exchange, Chain next) throws Exception {
                trace.add(name);
                return next.proceed(exchange);
            }

            @Override
            public Phase phase() {
                return phase;
            }
        };
    }

    private static final Policy AUTHENTICATE = new Policy() {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            String key = exchange.requestHeaders().get("X-Api-Key");
            if (!"secret".equals(key)) {
                return Response.json(401, "{\"error\":\"unauthenticated\"}").header("WWW-Authenticate", "ApiKey");
            }
            exchange.attribute(Principal.KEY, Principal.of("alice", "api-key"));
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHENTICATION;
        }
    };

    /** A backend that, like protocol modules, records what the request asks for before policies run. */
    private static final Backend INSPECTING = new Backend() {
        @Override
        public Response inspect(Exchange exchange) throws Exception {
            String body = new String(exchange.requestBodyBytes(), java.nio.charset.StandardCharsets.UTF_8);
            exchange.attribute(Operation.KEY, new Operation("test", "call", "Tool", body, Map.of()));
            return body.equals("bad") ? Response.json(400, "{\"error\":\"bad body\"}") : null;
        }

        @Override
        public Response handle(Exchange exchange) throws Exception {
            // The body was read in inspect and can be read again here.
            return Response.text(200, "handled " + new String(exchange.requestBodyBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    };

    private static final Policy DENY_DELETE = new Policy() {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            Operation operation = exchange.attribute(Operation.KEY);
            if (operation != null && operation.resourceId().equals("delete_repo")) {
                return Response.json(403, "{\"error\":\"forbidden for " + exchange.principal().subject() + "\"}");
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHORIZATION;
        }
    };

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .policy(traced("gateway-default", Policy.Phase.DEFAULT))
            .policy(traced("gateway-ratelimit", Policy.Phase.RATE_LIMIT))
            .policy(Cors.builder().allowOrigin("https://app.example.com").allowMethods("GET", "POST")
                    .allowHeaders("X-Api-Key", "Content-Type").exposeHeaders("X-Request-Id").maxAge(Duration.ofMinutes(10)).build())
            .route(Route.builder("ordered").pathPrefix("/ordered")
                    .policy(traced("route-default", Policy.Phase.DEFAULT))
                    .policy(AUTHENTICATE)
                    .policy(traced("route-authn", Policy.Phase.AUTHENTICATION))
                    .policy((exchange, next) -> {
                        exchange.attribute(TENANT, "acme");
                        exchange.requestHeaders().put("X-Tenant", exchange.attribute(TENANT));
                        exchange.onComplete(failure -> completions.add(failure == null ? "done" : failure));
                        Response response = next.proceed(exchange);
                        return response.header("X-Principal", exchange.principal().subject());
                    })
                    .backend(HttpBackend.builder().endpoint(upstream.url())
                            .policy(traced("backend-authn", Policy.Phase.AUTHENTICATION)).build()))
            .route(Route.builder("tools").path("/tools").policy(AUTHENTICATE).policy(DENY_DELETE).backend(INSPECTING)));

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPolicyCanShortCircuit() throws Exception {
        upstream.reset();
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/ordered")));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void policiesRunByPhaseThenLevelThenOrder() throws Exception {
        trace.clear();
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/ordered")).header("X-Api-Key", "secret"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(trace).containsExactly("route-authn", "backend-authn", "gateway-ratelimit", "gateway-default", "route-default");
    }

    @Test
    void policiesDecorateRequestAndResponseAndShareAttributes() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/ordered")).header("X-Api-Key", "secret"));
        assertThat(response.body()).contains("\"x-tenant\":[\"acme\"]");
        assertThat(response.headers().firstValue("X-Principal")).hasValue("alice");
    }

    @Test
    void completionListenersRunOnceTheResponseIsSent() throws Exception {
        completions.clear();
        send(HttpRequest.newBuilder(gateway.uri("/ordered")).header("X-Api-Key", "secret"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (completions.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(completions).containsExactly("done");
    }

    @Test
    void aBackendInspectsTheRequestBeforePoliciesDecide() throws Exception {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(gateway.uri("/tools")).header("X-Api-Key", "secret")
                .POST(HttpRequest.BodyPublishers.ofString("search_issues")));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEqualTo("handled search_issues");
        HttpResponse<String> denied = send(HttpRequest.newBuilder(gateway.uri("/tools")).header("X-Api-Key", "secret")
                .POST(HttpRequest.BodyPublishers.ofString("delete_repo")));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("forbidden for alice");
    }

    @Test
    void inspectCanAnswerOnItsOwn() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/tools")).POST(HttpRequest.BodyPublishers.ofString("bad")));
        assertThat(response.statusCode()).isEqualTo(400);
    }

    @Test
    void corsPreflightIsAnsweredBeforeAuthentication() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/ordered"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-api-key, content-type"));
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("x-api-key, content-type");
        assertThat(response.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    }

    @Test
    void corsPreflightFromAnotherOriginIsRejected() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/ordered"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void corsHeadersDecorateActualResponsesForAllowedOrigins() throws Exception {
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(gateway.uri("/ordered")).header("X-Api-Key", "secret")
                .header("Origin", "https://app.example.com"));
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(allowed.headers().firstValue("Access-Control-Expose-Headers")).hasValue("X-Request-Id");
        assertThat(allowed.headers().allValues("Vary")).contains("Origin");
        HttpResponse<String> other = send(HttpRequest.newBuilder(gateway.uri("/ordered")).header("X-Api-Key", "secret")
                .header("Origin", "https://evil.example.net"));
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
