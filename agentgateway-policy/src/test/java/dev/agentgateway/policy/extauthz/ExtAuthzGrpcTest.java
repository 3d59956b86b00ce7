package dev.agentgateway.policy.extauthz;

import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertDenials;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertFailClosedAndOpen;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertRestartedServiceIsUsedAgain;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.checks;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.freePort;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The gRPC contract against a real grpc-java server implementing Envoy's {@code Authorization} service. */
class ExtAuthzGrpcTest {
    private static final AtomicInteger TOOL_CALLS = new AtomicInteger();
    private static final EnvoyAuthorizationServer authz = start();
    private static final int DOWN = freePort();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    /** Speaks HTTP/2 but not gRPC: an answer the client cannot read. */
    @RegisterExtension
    static final FakeUpstream notGrpc = FakeUpstream.of(Fakes.canned(200, "hello"));

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("closed").pathPrefix("/api").policy(ExtAuthzTestSupport.testUser())
                    .policy(service().allowedHeaders("authorization").timeout(Duration.ofMillis(300)).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("open").pathPrefix("/open")
                    .policy(service().timeout(Duration.ofMillis(300)).failOpen(true).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("down").pathPrefix("/down")
                    .policy(ExtAuthz.builder().grpc(URI.create("http://127.0.0.1:" + DOWN)).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("garbage").pathPrefix("/garbage")
                    .policy(ExtAuthz.builder().grpc(notGrpc.uri()).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("tools").pathPrefix("/tools").policy(ExtAuthzTestSupport.testUser())
                    .policy(service().build())
                    .backend(ExtAuthzTestSupport.toolBackend(TOOL_CALLS)).build()));

    private static ExtAuthz.Builder service() {
        return ExtAuthz.builder().grpc(URI.create("http://127.0.0.1:" + authz.port()));
    }

    private static EnvoyAuthorizationServer start() {
        try {
            return EnvoyAuthorizationServer.start(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        authz.close();
    }

    @Test
    void anOkStatusAddsTheAnswersHeadersUpstream() throws Exception {
        HttpResponse<String> response = get(gateway, "/api/repos?page=2", "Authorization", "Bearer t", "Cookie", "s=1",
                "X-User-Id", "forged");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.lastRequest().headerValues("x-user-id")).containsExactly("u-42");
        AttributeContext attributes = authz.lastRequest().getAttributes();
        AttributeContext.HttpRequest http = attributes.getRequest().getHttp();
        assertThat(http.getMethod()).isEqualTo("GET");
        assertThat(http.getPath()).isEqualTo("/api/repos?page=2");
        assertThat(http.getHost()).isEqualTo("127.0.0.1:" + gateway.port());
        assertThat(http.getScheme()).isEqualTo("http");
        assertThat(http.getId()).isNotEmpty();
        assertThat(http.getHeadersMap()).containsEntry("authorization", "Bearer t").containsEntry(":method", "GET")
                .doesNotContainKey("cookie");
        assertThat(attributes.getSource().getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
        assertThat(attributes.getDestination().getAddress().getSocketAddress().getPortValue()).isEqualTo(gateway.port());
        assertThat(attributes.getContextExtensionsMap()).containsEntry("protocol", "http")
                .containsEntry("action", "http_request").containsEntry("resource", "closed")
                .doesNotContainKey("principal");
        assertThat(checks(gateway, "allow")).isPositive();
    }

    @Test
    void theOperationAndThePrincipalReachTheService() throws Exception {
        HttpResponse<String> response = get(gateway, "/tools/call", "x-test-user", "alice");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tool result for u-42");
        assertThat(authz.lastRequest().getAttributes().getContextExtensionsMap())
                .containsEntry("protocol", "mcp").containsEntry("action", "call_tool")
                .containsEntry("resource_type", "Tool").containsEntry("resource", "github_search é")
                .containsEntry("principal", "alice").containsEntry("principal_scheme", "jwt");
    }

    @Test
    void aDeniedResponseReachesTheClientAndNotTheUpstream() throws Exception {
        long upstreamCalls = upstream.receivedCount();
        assertDenials(gateway, "Bearer");
        assertThat(get(gateway, "/api/bare-denial").statusCode()).isEqualTo(403);
        assertThat(upstream.receivedCount()).isEqualTo(upstreamCalls);
        assertThat(checks(gateway, "deny")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void failuresFailClosedByDefaultAndOpenWhenAsked() throws Exception {
        assertFailClosedAndOpen(gateway, "/unavailable", "/slow");
        assertThat(get(gateway, "/down/x").statusCode()).isEqualTo(403);
        assertThat(get(gateway, "/garbage/x").statusCode()).isEqualTo(403);
        assertThat(checks(gateway, "error")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aRestartedServiceIsUsedAgain() throws Exception {
        assertRestartedServiceIsUsedAgain(EnvoyAuthorizationServer::start,
                port -> ExtAuthz.builder().grpc(URI.create("http://127.0.0.1:" + port)).build(), upstream.url());
    }
}
