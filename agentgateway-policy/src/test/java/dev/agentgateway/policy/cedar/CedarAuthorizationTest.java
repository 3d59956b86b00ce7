package dev.agentgateway.policy.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Decisions on HTTP routes and on protocol operations, with list items filtered through the stored Authorizer. */
class CedarAuthorizationTest {
    static final String POLICIES = """
            // dev may call any tool of target a, but "two" only on their own repositories; a list shows it
            permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"a")
            when { resource.name != "two" || context.method == "tools/list"
                   || (context has arguments && context.arguments has repo && context.arguments.repo like "my-team/*") };
            // ops may call everything
            permit(principal in Group::"ops", action == Action::"call_tool", resource);
            // limits read from arguments are typed
            forbid(principal, action == Action::"call_tool", resource)
            when { context has arguments && context.arguments has limit && context.arguments.limit > 100 };
            // plain HTTP: reads for any tenant member, writes for ops only
            permit(principal is User, action == Action::"http_request", resource == Route::"api")
            when { principal.hasTag("tenant") && principal.getTag("tenant") == "acme" && context.request.method == "GET" };
            permit(principal in Group::"ops", action == Action::"http_request", resource == Route::"api");
            """;

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .policy(CedarTestSupport.headerPrincipal())
            .policy(CedarAuthorization.builder().policies(POLICIES)
                    .schemaExtension("type Arguments = { repo?: String, limit?: Long };").build())
            .route(Route.builder("api").pathPrefix("/api").backend(HttpBackend.of(upstream.url())).build())
            .route(Route.builder("tools").pathPrefix("/tools").backend(CedarTestSupport.toolBackend()).build()));

    @Test
    void plainRoutesAreDecidedOnPrincipalMethodAndRoute() throws Exception {
        assertThat(send("GET", "/api/x", "", "X-User", "alice", "X-Tenant", "acme").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/api/x", "{}", "X-User", "alice", "X-Tenant", "acme").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/api/x", "{}", "X-User", "olga", "X-Roles", "ops").statusCode()).isEqualTo(200);
        HttpResponse<String> anonymous = send("GET", "/api/x", "");
        assertThat(anonymous.statusCode()).isEqualTo(403);
        assertThat(anonymous.body()).contains("\"forbidden\"").contains("http_request");
        // an API key holder is a Client, not a User, so the tenant rule does not apply
        assertThat(send("GET", "/api/x", "", "X-User", "ci", "X-Tenant", "acme", "X-Scheme", "api-key").statusCode()).isEqualTo(403);
    }

    @Test
    void listsShowEachCallerItsOwnTools() throws Exception {
        assertThat(send("GET", "/tools/list", "", "X-User", "dana", "X-Roles", "dev").body()).isEqualTo("a_one,a_two");
        assertThat(send("GET", "/tools/list", "", "X-User", "olga", "X-Roles", "ops").body()).isEqualTo("a_one,a_two,b_one");
        assertThat(send("GET", "/tools/list", "").body()).isEmpty();
        // the second listing comes from the decision cache and must say the same
        assertThat(send("GET", "/tools/list", "", "X-User", "dana", "X-Roles", "dev").body()).isEqualTo("a_one,a_two");
    }

    @Test
    void argumentRulesDecideCalls() throws Exception {
        assertThat(send("POST", "/tools/call/a/one", "", "X-User", "dana", "X-Roles", "dev").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/tools/call/a/two", "repo=my-team/app", "X-User", "dana", "X-Roles", "dev").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/tools/call/a/two", "", "X-User", "dana", "X-Roles", "dev").statusCode()).isEqualTo(404);
        HttpResponse<String> foreign = send("POST", "/tools/call/a/two", "repo=other/app", "X-User", "dana", "X-Roles", "dev");
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.body()).contains("\"hidden\"");
        assertThat(send("POST", "/tools/call/b/one", "", "X-User", "dana", "X-Roles", "dev").statusCode()).isEqualTo(404);
        assertThat(send("POST", "/tools/call/b/one", "limit=100", "X-User", "olga", "X-Roles", "ops").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/tools/call/b/one", "limit=101", "X-User", "olga", "X-Roles", "ops").statusCode()).isEqualTo(404);
    }

    @Test
    void oddToolNamesAreDeniedNotCrashed() throws Exception {
        String odd = "a/t\u0000\u202e\uD83D\uDE00" + "x".repeat(10_000);
        assertThat(send("POST", "/tools/call/b/" + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8), "",
                "X-User", "dana", "X-Roles", "dev").statusCode()).isIn(400, 404, 414, 431);
    }

    @Test
    void decisionsAreCountedByBoundedTags() throws Exception {
        send("POST", "/tools/call/b/one", "", "X-User", "dana", "X-Roles", "dev");
        assertThat(gateway.meterRegistry().find(DecisionLog.METRIC).tag("decision", "deny").tag("action", "call_tool")
                .tag("scope", "request").counter()).isNotNull();
        assertThat(gateway.meterRegistry().find(DecisionLog.METRIC).tag("decision", "allow").tag("scope", "item").counters()).isNotEmpty();
    }

    @Test
    void typosFailTheBuildWithCedarsMessage() {
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal, action == Action::\"call_tol\", resource);").build())
                .withMessageContaining("unrecognized action").withMessageContaining("did you mean");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal, action == Action::\"call_tool\", resource) when { principal.tenant == \"x\" };").build())
                .withMessageContaining("policies#0").withMessageContaining("tenant");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal, action, resource) when {").build())
                .withMessageContaining("does not parse");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal == ?principal, action, resource);").build())
                .withMessageContaining("templates");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal, action, resource);").schemaExtension("entity User;").build())
                .withMessageContaining("schema");
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
