package dev.agentgateway.policy.extauthz;

import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertDenials;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertFailClosedAndOpen;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.assertRestartedServiceIsUsedAgain;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.checks;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.freePort;
import static dev.agentgateway.policy.extauthz.ExtAuthzTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP contract against a real server that answers as Envoy's HTTP authorization services do. */
class ExtAuthzHttpTest {
    private static final AtomicInteger TOOL_CALLS = new AtomicInteger();

    private static final AtomicReference<String> CHECKED_BODY = new AtomicReference<>();
    private static final FakeHandler ALLOW = Fakes.canned(200, Map.of("x-user-id", "u-42", "x-not-allowed", "dropped"), "");

    /** Decides by path, as an authorization service may: the gateway appends the client's path. */
    @RegisterExtension
    static final FakeUpstream authz = FakeUpstream.builder()
            .handler("/check/", ALLOW)
            .handler("/check/tools", (request, response) -> {
                CHECKED_BODY.set(request.bodyText()); // read while the request is served
                ALLOW.handle(request, response);
            })
            .handler("/check/api/forbidden", Fakes.canned(403, "not your repository"))
            .handler("/check/api/login", Fakes.canned(401, Map.of("WWW-Authenticate", "Bearer realm=\"tools\""), ""))
            .handler("/check/api/teapot", Fakes.canned(418, "short and stout"))
            .handler("/check/api/broken", Fakes.canned(503, "overloaded"))
            .handler("/check/open/broken", Fakes.canned(503, "overloaded"))
            .handler("/check/api/crash", Fakes.dropConnection())
            .handler("/check/open/crash", Fakes.dropConnection())
            .handler("/check/api/slow", Fakes.slow(Duration.ofSeconds(2), ALLOW))
            .handler("/check/open/slow", Fakes.slow(Duration.ofSeconds(2), ALLOW))
            .build();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    private static final int DOWN = freePort();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("closed").pathPrefix("/api").policy(ExtAuthzTestSupport.testUser())
                    .policy(ExtAuthz.builder().http(URI.create(authz.url() + "/check")).allowedUpstreamHeaders("X-User-Id")
                            .allowedHeaders("authorization", "x-tenant").timeout(Duration.ofMillis(300)).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("open").pathPrefix("/open")
                    .policy(ExtAuthz.builder().http(URI.create(authz.url() + "/check")).timeout(Duration.ofMillis(300))
                            .failOpen(true).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("down").pathPrefix("/down")
                    .policy(ExtAuthz.builder().http(URI.create("http://127.0.0.1:" + DOWN)).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("down-open").pathPrefix("/down-open")
                    .policy(ExtAuthz.builder().http(URI.create("http://127.0.0.1:" + DOWN)).failOpen(true).build())
                    .backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("tools").pathPrefix("/tools").policy(ExtAuthzTestSupport.testUser())
                    .policy(ExtAuthz.builder().http(URI.create(authz.url() + "/check")).allowedUpstreamHeaders("x-user-id")
                            .includeBody(4).build())
                    .backend(ExtAuthzTestSupport.toolBackend(TOOL_CALLS)).build()));

    @Test
    void anAllowingAnswerAddsItsAllowedHeadersUpstream() throws Exception {
        HttpResponse<String> response = get(gateway, "/api/repos?page=2", "Authorization", "Bearer t",
                "X-Tenant", "acme", "Cookie", "s=1", "X-User-Id", "forged");
        assertThat(response.statusCode()).isEqualTo(200);
        FakeRequest check = authz.lastRequest();
        assertThat(check.method()).isEqualTo("GET");
        assertThat(check.path()).isEqualTo("/check/api/repos");
        assertThat(check.query()).isEqualTo("page=2");
        assertThat(check.header("authorization")).isEqualTo("Bearer t");
        assertThat(check.header("x-tenant")).isEqualTo("acme");
        assertThat(check.header("cookie")).as("not on this route's allow-list").isNull();
        assertThat(check.header("x-agentgateway-protocol")).isEqualTo("http");
        assertThat(check.header("x-agentgateway-action")).isEqualTo("http_request");
        assertThat(check.header("x-agentgateway-resource-type")).isEqualTo("Route");
        assertThat(check.header("x-agentgateway-resource")).isEqualTo("closed");
        assertThat(check.header("x-agentgateway-principal")).isNull();
        assertThat(upstream.lastRequest().headerValues("x-user-id")).containsExactly("u-42");
        assertThat(upstream.lastRequest().header("x-not-allowed")).isNull();
        assertThat(checks(gateway, "allow")).isPositive();
    }

    @Test
    void theOperationAndThePrincipalReachTheService() throws Exception {
        int before = TOOL_CALLS.get();
        var request = java.net.http.HttpRequest.newBuilder(gateway.uri("/tools/call")).header("x-test-user", "alice")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"github_search\"}")).build();
        HttpResponse<String> response = gateway.httpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("tool result for u-42");
        assertThat(TOOL_CALLS.get()).isEqualTo(before + 1);
        FakeRequest check = authz.lastRequest();
        assertThat(check.method()).isEqualTo("POST");
        assertThat(check.header("x-agentgateway-protocol")).isEqualTo("mcp");
        assertThat(check.header("x-agentgateway-action")).isEqualTo("call_tool");
        assertThat(check.header("x-agentgateway-resource-type")).isEqualTo("Tool");
        assertThat(check.header("x-agentgateway-resource")).isEqualTo("github_search %C3%A9");
        assertThat(check.header("x-agentgateway-principal")).isEqualTo("alice");
        assertThat(check.header("x-agentgateway-principal-scheme")).isEqualTo("jwt");
        assertThat(CHECKED_BODY.get()).as("cut at includeBody(4)").isEqualTo("{\"na");
        assertThat(check.header(HttpAuthorizationService.PARTIAL_BODY)).isEqualTo("true");
    }

    @Test
    void aDenialReachesTheClientAndNotTheUpstream() throws Exception {
        long upstreamCalls = upstream.receivedCount();
        assertDenials(gateway, "Bearer realm=\"tools\"");
        assertThat(get(gateway, "/api/teapot").statusCode()).as("other 4xx deny with 403").isEqualTo(403);
        assertThat(upstream.receivedCount()).isEqualTo(upstreamCalls);
        assertThat(checks(gateway, "deny")).isGreaterThanOrEqualTo(3);
    }

    @Test
    void failuresFailClosedByDefaultAndOpenWhenAsked() throws Exception {
        assertFailClosedAndOpen(gateway, "/broken", "/crash", "/slow");
        assertThat(get(gateway, "/down/x").statusCode()).isEqualTo(403);
        assertThat(get(gateway, "/down-open/x").statusCode()).isEqualTo(200);
        assertThat(checks(gateway, "error")).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aRestartedServiceIsUsedAgain() throws Exception {
        assertRestartedServiceIsUsedAgain(
                port -> FakeUpstream.builder().port(port).handler("/", Fakes.canned(200, "")).build().start(),
                port -> ExtAuthz.builder().http(URI.create("http://127.0.0.1:" + port)).build(), upstream.url());
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatIllegalStateException().isThrownBy(() -> ExtAuthz.builder().build());
        assertThatIllegalArgumentException().isThrownBy(() -> ExtAuthz.builder().http(URI.create("ftp://host/")));
        assertThatIllegalArgumentException().isThrownBy(() -> ExtAuthz.builder().timeout(Duration.ZERO));
        assertThatIllegalStateException().isThrownBy(() -> ExtAuthz.builder().grpc(URI.create("http://h:1"))
                .includeBody(10).build());
    }
}
