package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-caller tool views: names, descriptions and schemas per principal or group, mapped back on {@code tools/call}. */
class ToolViewsTest {
    static final FakeMcpServer GITHUB = new FakeMcpServer("github", 3, 10).withInputSchema((ObjectNode) RawMcpClient.parse("""
            {"type": "object", "properties": {"org": {"type": "string"}, "repo": {"type": "string"}, "q": {"type": "string"}},
             "required": ["org", "q"]}"""));
    static final FakeMcpServer JIRA = new FakeMcpServer("jira", 2, 10);

    @RegisterExtension
    static final FakeUpstream UPSTREAM_GITHUB = FakeUpstream.of(GITHUB);
    @RegisterExtension
    static final FakeUpstream UPSTREAM_JIRA = FakeUpstream.of(JIRA);

    /** Sets the principal from X-User and X-Roles (comma-separated), as an authentication policy does. */
    static final class HeaderAuthentication implements Policy {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            String user = exchange.requestHeaders().get("X-User");
            if (user != null) {
                String roles = exchange.requestHeaders().get("X-Roles");
                Set<String> groups = roles == null ? Set.of() : Set.copyOf(Arrays.asList(roles.split(",")));
                exchange.attribute(Principal.KEY, new Principal(user, "test", groups, Map.of()));
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHENTICATION;
        }
    }

    /**
     * With X-Refuse: an authorizer refusing that tool, also applied to the request's own operation; with
     * X-Refuse-Request: only the request's own operation is refused, no authorizer is stored.
     */
    static final class RefusingAuthorization implements Policy {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            String refused = exchange.requestHeaders().get("X-Refuse");
            Operation requested = exchange.attribute(Operation.KEY);
            String requestOnly = exchange.requestHeaders().get("X-Refuse-Request");
            if (requestOnly != null && requested != null && requested.resourceId().equals(requestOnly)) {
                return exchange.errorResponse(GatewayException.hidden("Not visible: " + requestOnly));
            }
            if (refused != null) {
                exchange.attribute(Authorizer.KEY, (ex, operation) -> !operation.resourceId().equals(refused));
                if (requested != null && requested.resourceId().equals(refused)) {
                    return exchange.errorResponse(GatewayException.hidden("Not visible: " + refused));
                }
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHORIZATION;
        }
    }

    static final ToolViews VIEWS = ToolViews.builder()
            .forPrincipal("alice", ToolView.of("github_tool0").describe("Alice's search"))
            .forGroup("interns",
                    ToolView.of("github_tool0").rename("search").describe("Searches my-org").title("Search")
                            .fix("org", "my-org").restrict("repo", List.of("api", "web")),
                    ToolView.of("github_tool1").hide(),
                    ToolView.of("github_tool2").rename("jira_tool0"))
            .forEveryone(ToolView.of("jira_tool1").schema("n", Map.of("type", "integer")))
            .build();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .policy(new HeaderAuthentication())
                    .policy(new RefusingAuthorization())
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("github", URI.create(UPSTREAM_GITHUB.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("jira", URI.create(UPSTREAM_JIRA.url() + "/mcp")))
                            .toolViews(VIEWS)
                            .build())));

    private static RawMcpClient client(String user, String roles) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        if (user != null) {
            client.header("X-User", user);
        }
        if (roles != null) {
            client.header("X-Roles", roles);
        }
        client.initialize(RawMcpClient.object());
        return client;
    }

    private static Map<String, JsonNode> tools(RawMcpClient client) throws Exception {
        Map<String, JsonNode> tools = new java.util.LinkedHashMap<>();
        client.call("tools/list", null).path("result").path("tools").forEach(tool -> tools.put(tool.path("name").asText(), tool));
        return tools;
    }

    private static JsonNode call(RawMcpClient client, String tool, String arguments) throws Exception {
        ObjectNode params = RawMcpClient.object().put("name", tool);
        params.set("arguments", RawMcpClient.parse(arguments));
        return client.call("tools/call", params);
    }

    /** The tools/call requests an upstream received. */
    private static List<JsonNode> calls(FakeMcpServer server) {
        List<JsonNode> calls = new ArrayList<>();
        server.requests().stream().filter(r -> r.path("method").asText().equals("tools/call")).forEach(calls::add);
        return calls;
    }

    private static JsonNode lastCall(FakeMcpServer server) {
        List<JsonNode> calls = calls(server);
        return calls.get(calls.size() - 1).path("params");
    }

    @Test
    void twoCallersSeeDifferentNamesDescriptionsAndSchemas() throws Exception {
        try (RawMcpClient anyone = client(null, null); RawMcpClient alice = client("alice", "interns");
             RawMcpClient bob = client("bob", "interns")) {
            Map<String, JsonNode> plain = tools(anyone);
            assertThat(plain.keySet()).containsExactly("github_tool0", "github_tool1", "github_tool2", "jira_tool0", "jira_tool1");
            assertThat(plain.get("jira_tool1").path("inputSchema").path("properties").path("n").path("type").asText()).isEqualTo("integer");

            // alice's own view wins over her group's: described, not renamed, schema untouched
            Map<String, JsonNode> forAlice = tools(alice);
            assertThat(forAlice.keySet()).containsExactly("github_tool0", "jira_tool0", "jira_tool1");
            assertThat(forAlice.get("github_tool0").path("description").asText()).isEqualTo("Alice's search");
            assertThat(forAlice.get("github_tool0").path("inputSchema")).isEqualTo(plain.get("github_tool0").path("inputSchema"));

            // bob: renamed, described, org fixed away, repo narrowed; tool1 hidden; the real jira_tool0 shadowed by tool2's new name
            Map<String, JsonNode> forBob = tools(bob);
            assertThat(forBob.keySet()).containsExactly("search", "jira_tool0", "jira_tool1");
            JsonNode search = forBob.get("search");
            assertThat(search.path("description").asText()).isEqualTo("Searches my-org");
            assertThat(search.path("title").asText()).isEqualTo("Search");
            assertThat(search.path("inputSchema")).isEqualTo(RawMcpClient.parse("""
                    {"type": "object", "properties": {"repo": {"type": "string", "enum": ["api", "web"]}, "q": {"type": "string"}},
                     "required": ["q"]}"""));
            assertThat(search.path("_meta").path("vendor/x").asInt()).isZero();
        }
    }

    @Test
    void aRenamedToolIsCalledByItsNewNameWithFixedArguments() throws Exception {
        try (RawMcpClient bob = client("bob", "interns")) {
            JsonNode answer = call(bob, "search", "{\"q\": \"bug\", \"org\": \"evil-org\", \"repo\": \"api\"}");
            assertThat(answer.path("result").path("content").get(0).path("text").asText()).startsWith("github:tool0:");
            JsonNode received = lastCall(GITHUB);
            assertThat(received.path("name").asText()).isEqualTo("tool0");
            assertThat(received.path("arguments")).isEqualTo(RawMcpClient.parse("{\"q\": \"bug\", \"org\": \"my-org\", \"repo\": \"api\"}"));

            // without arguments at all the fixed ones are still sent
            call(bob, "search", "{}");
            assertThat(lastCall(GITHUB).path("arguments")).isEqualTo(RawMcpClient.parse("{\"org\": \"my-org\"}"));

            // the shadowing new name reaches the renamed tool, not the real jira_tool0
            int jiraCalls = calls(JIRA).size();
            assertThat(call(bob, "jira_tool0", "{}").path("result").path("content").get(0).path("text").asText()).startsWith("github:tool2:");
            assertThat(calls(JIRA)).hasSize(jiraCalls);
        }
    }

    @Test
    void originalHiddenAndShadowedNamesAreUnknown() throws Exception {
        int githubCalls = calls(GITHUB).size();
        try (RawMcpClient bob = client("bob", "interns")) {
            for (String name : List.of("github_tool0", "github_tool1", "github_tool2")) {
                JsonNode error = call(bob, name, "{}").path("error");
                assertThat(error.path("code").asInt()).isEqualTo(-32602);
                assertThat(error.path("message").asText()).isEqualTo("Unknown tool: " + name);
            }
        }
        assertThat(calls(GITHUB)).hasSize(githubCalls);
        try (RawMcpClient anyone = client(null, null)) {
            assertThat(call(anyone, "search", "{}").path("error").path("message").asText()).isEqualTo("Unknown tool: search");
        }
    }

    @Test
    void argumentsOutsideTheNarrowedSchemaAreRefusedBeforeTheUpstream() throws Exception {
        int githubCalls = calls(GITHUB).size();
        int jiraCalls = calls(JIRA).size();
        try (RawMcpClient bob = client("bob", "interns"); RawMcpClient anyone = client(null, null)) {
            JsonNode error = call(bob, "search", "{\"q\": \"bug\", \"repo\": \"secrets\"}").path("error");
            assertThat(error.path("code").asInt()).isEqualTo(-32602);
            assertThat(error.path("message").asText()).isEqualTo("Invalid arguments for tool search: argument 'repo' must be one of [api, web]");
            assertThat(call(bob, "search", "{\"repo\": 7}").path("error").path("message").asText()).contains("'repo'");

            assertThat(call(anyone, "jira_tool1", "{\"n\": \"x\"}").path("error").path("message").asText())
                    .isEqualTo("Invalid arguments for tool jira_tool1: argument 'n' must be of type integer");
            assertThat(calls(GITHUB)).hasSize(githubCalls);
            assertThat(calls(JIRA)).hasSize(jiraCalls);

            assertThat(call(anyone, "jira_tool1", "{\"n\": 3}").path("result").path("content").get(0).path("text").asText())
                    .startsWith("jira:tool1:");
        }
    }

    @Test
    void aToolTheAuthorizerRefusesStaysHiddenUnderBothNames() throws Exception {
        int githubCalls = calls(GITHUB).size();
        try (RawMcpClient bob = client("bob", "interns").header("X-Refuse", "github_tool0")) {
            assertThat(tools(bob).keySet()).containsExactly("jira_tool0", "jira_tool1");
            assertThat(call(bob, "search", "{\"q\": \"x\"}").path("error").path("message").asText()).isEqualTo("Unknown tool: search");
            assertThat(call(bob, "github_tool0", "{}").path("error").path("message").asText()).isEqualTo("Unknown tool: github_tool0");
            // an invalid argument does not tell that the refused tool exists
            assertThat(call(bob, "search", "{\"repo\": \"secrets\"}").path("error").path("message").asText()).isEqualTo("Unknown tool: search");
        }
        // refusing the new name changes nothing: authorization knows only original names
        try (RawMcpClient bob = client("bob", "interns").header("X-Refuse", "search")) {
            assertThat(tools(bob).keySet()).containsExactly("search", "jira_tool0", "jira_tool1");
        }
        assertThat(calls(GITHUB)).hasSize(githubCalls);
    }

    @Test
    void theRequestLevelOperationNamesTheOriginalWhenTheNewNameIsUnambiguous() throws Exception {
        int githubCalls = calls(GITHUB).size();
        try (RawMcpClient bob = client("bob", "interns").header("X-Refuse-Request", "github_tool0")) {
            assertThat(call(bob, "search", "{\"q\": \"x\"}").path("error").path("message").asText()).isEqualTo("Unknown tool: search");
        }
        assertThat(calls(GITHUB)).hasSize(githubCalls);
        // a new name a target could own ("jira_tool0" is also a real tool) is recorded as called
        try (RawMcpClient bob = client("bob", "interns").header("X-Refuse-Request", "github_tool2")) {
            assertThat(call(bob, "jira_tool0", "{}").path("result").path("content").get(0).path("text").asText()).startsWith("github:tool2:");
        }
        assertThat(VIEWS.originalOf("search")).isEqualTo("github_tool0");
        assertThat(ToolViews.builder().forGroup("a", ToolView.of("github_a").rename("x"))
                .forGroup("b", ToolView.of("github_b").rename("x")).build().originalOf("x")).isNull();
    }

    @Test
    void badConfigurationFailsAtBuild() {
        assertThatThrownBy(() -> ToolView.of(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool name");
        assertThatThrownBy(() -> ToolView.of("github_a").rename("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("new name of tool 'github_a'");
        assertThatThrownBy(() -> ToolView.of("github_a").rename("x".repeat(129))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 128");
        assertThatThrownBy(() -> ToolView.of("github_a").fix("org", "x").fix("org", "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool 'github_a': argument 'org' is already fixed or narrowed");
        assertThatThrownBy(() -> ToolView.of("github_a").fix("org", "x").restrict("org", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already fixed or narrowed");
        assertThatThrownBy(() -> ToolViews.builder().forGroup("", ToolView.of("github_a").hide()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
        assertThatThrownBy(() -> ToolViews.builder()
                .forGroup("interns", ToolView.of("github_a").rename("a"), ToolView.of("github_b").rename("a")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tool views of group 'interns': renaming 'github_b' to 'a' clashes with another tool of these views");
        assertThatThrownBy(() -> ToolViews.builder()
                .forEveryone(ToolView.of("github_a").rename("github_b"), ToolView.of("github_b").describe("b")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renaming 'github_a' to 'github_b' clashes");
        assertThatThrownBy(() -> ToolViews.builder().forPrincipal("alice", ToolView.of("github_a"), ToolView.of("github_a")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tool views of principal 'alice': tool 'github_a' is viewed twice");
    }
}
