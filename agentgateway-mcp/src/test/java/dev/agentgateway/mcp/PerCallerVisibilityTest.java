package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-caller visibility through the core {@link Authorizer}: lists leave out what the caller may not
 * use, and a call of such an item is answered exactly as a call of one that does not exist, without
 * reaching the upstream.
 */
class PerCallerVisibilityTest {
    static final FakeMcpServer ONE = new FakeMcpServer("one", 5, 2).withCatalog();
    static final FakeMcpServer TWO = new FakeMcpServer("two", 3, 10).withCatalog();
    static final List<Operation> ASKED = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeUpstream UPSTREAM_ONE = FakeUpstream.of(ONE);
    @RegisterExtension
    static final FakeUpstream UPSTREAM_TWO = FakeUpstream.of(TWO);

    /** bob may use only these; carol nothing of target two; alice anything but two's secrets; without X-User: no authorizer. */
    static final Set<String> BOB = Set.of("one_tool0", "one_tool2", "one_tool4", "two_tool1", "one_hello", "two_hello",
            "one+mem://hello", "two+mem://hello", "one+mem://hello/{x}");

    static boolean allowed(String user, Operation operation) {
        ASKED.add(operation);
        String id = operation.resourceId();
        return switch (user) {
            case "bob" -> BOB.contains(id);
            case "carol" -> !"two".equals(operation.context().get("target"));
            default -> !id.startsWith("two") || !id.contains("secret");
        };
    }

    /**
     * Stores an authorizer for the X-User caller and refuses the request's own item as hidden, as an
     * authorization policy does; with X-Lenient it only stores the authorizer, leaving the check to the backend.
     */
    static final class UserPolicy implements Policy {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            String user = exchange.requestHeaders().get("X-User");
            if (user == null) {
                return next.proceed(exchange);
            }
            Authorizer authorizer = (ex, operation) -> allowed(user, operation);
            exchange.attribute(Authorizer.KEY, authorizer);
            Operation operation = exchange.attribute(Operation.KEY);
            if (exchange.requestHeaders().get("X-Lenient") == null && operation != null && !operation.resourceId().isEmpty()
                    && !authorizer.allows(exchange, operation)) {
                return exchange.errorResponse(GatewayException.hidden("Not visible: " + operation.resourceId()));
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHORIZATION;
        }
    }

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .policy(new UserPolicy())
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM_ONE.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("two", URI.create(UPSTREAM_TWO.url() + "/mcp")))
                            .build()))
            .route(Route.builder("flat").path("/flat")
                    .policy(new UserPolicy())
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM_ONE.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("two", URI.create(UPSTREAM_TWO.url() + "/mcp")))
                            .prefixMode(PrefixMode.NEVER)
                            .build()))
            // no target "one" here: what is called one_... does not exist on this route
            .route(Route.builder("ghost").path("/ghost")
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("two", URI.create(UPSTREAM_TWO.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("zwei", URI.create(UPSTREAM_TWO.url() + "/mcp")))
                            .build())));

    private static RawMcpClient client(String path, String user) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri(path));
        if (user != null) {
            client.header("X-User", user);
        }
        client.initialize(RawMcpClient.object());
        return client;
    }

    /** Every item name of a list, following the cursors. */
    private static List<String> all(RawMcpClient client, String method, String items, String key) throws Exception {
        List<String> names = new ArrayList<>();
        ObjectNode params = null;
        do {
            JsonNode result = client.call(method, params).path("result");
            result.path(items).forEach(item -> names.add(item.path(key).asText()));
            String next = result.path("nextCursor").asText(null);
            params = next == null ? null : RawMcpClient.object().put("cursor", next);
        } while (params != null);
        return names;
    }

    private static String request(String method, JsonNode params) {
        ObjectNode request = RawMcpClient.object().put("jsonrpc", "2.0").put("id", 77).put("method", method);
        request.set("params", params);
        return request.toString();
    }

    /** Status, content type and body of one POST. */
    private static List<String> answer(RawMcpClient client, String body) throws Exception {
        HttpResponse<String> response = client.post(body);
        return List.of(String.valueOf(response.statusCode()), response.headers().firstValue("Content-Type").orElse(""), response.body());
    }

    /** The requests an upstream received other than the handshakes of new sessions. */
    private static long calls(FakeMcpServer server) {
        return server.requests().stream().filter(r -> !r.path("method").asText().equals("initialize")).count();
    }

    /** The answer on /ghost, where the item does not exist, and to bob on /mcp (refused by the policy, then by the backend). */
    private static void answeredAsUnknown(String body, String expectedMessage) throws Exception {
        long oneRequests = calls(ONE);
        try (RawMcpClient ghost = client("/ghost", null); RawMcpClient bob = client("/mcp", "bob");
             RawMcpClient lenient = client("/mcp", "bob").header("X-Lenient", "yes")) {
            List<String> unknown = answer(ghost, body);
            assertThat(unknown.get(0)).isEqualTo("200");
            assertThat(RawMcpClient.parse(unknown.get(2)).path("error").path("message").asText()).isEqualTo(expectedMessage);
            assertThat(answer(bob, body)).isEqualTo(unknown);
            assertThat(answer(lenient, body)).isEqualTo(unknown);
        }
        assertThat(calls(ONE)).isEqualTo(oneRequests);
    }

    @Test
    void twoCallersSeeDifferentListsAcrossTargetsAndPages() throws Exception {
        try (RawMcpClient alice = client("/mcp", "alice"); RawMcpClient bob = client("/mcp", "bob");
             RawMcpClient anyone = client("/mcp", null)) {
            assertThat(all(alice, "tools/list", "tools", "name"))
                    .containsExactlyInAnyOrder("one_tool0", "one_tool1", "one_tool2", "one_tool3", "one_tool4", "two_tool0", "two_tool1", "two_tool2");
            assertThat(all(bob, "tools/list", "tools", "name")).containsExactlyInAnyOrder("one_tool0", "one_tool2", "one_tool4", "two_tool1");
            assertThat(all(anyone, "tools/list", "tools", "name")).hasSize(8);

            assertThat(all(alice, "prompts/list", "prompts", "name")).containsExactly("one_hello", "one_secret", "two_hello");
            assertThat(all(bob, "prompts/list", "prompts", "name")).containsExactly("one_hello", "two_hello");
            assertThat(all(anyone, "prompts/list", "prompts", "name")).hasSize(4);

            assertThat(all(alice, "resources/list", "resources", "uri"))
                    .containsExactly("one+mem://hello", "one+mem://secret", "two+mem://hello");
            assertThat(all(bob, "resources/list", "resources", "uri")).containsExactly("one+mem://hello", "two+mem://hello");
            assertThat(all(anyone, "resources/list", "resources", "uri")).hasSize(4);

            assertThat(all(alice, "resources/templates/list", "resourceTemplates", "uriTemplate"))
                    .containsExactly("one+mem://hello/{x}", "one+mem://secret/{x}", "two+mem://hello/{x}");
            assertThat(all(bob, "resources/templates/list", "resourceTemplates", "uriTemplate")).containsExactly("one+mem://hello/{x}");
        }
    }

    @Test
    void theAuthorizerIsAskedAboutEachItemInTheAgreedShape() throws Exception {
        try (RawMcpClient bob = client("/mcp", "bob")) {
            bob.call("tools/list", null);
            bob.call("prompts/list", null);
            bob.call("resources/list", null);
            bob.call("resources/templates/list", null);
            bob.call("tools/call", RawMcpClient.object().put("name", "one_tool0")
                    .set("arguments", RawMcpClient.object().put("q", "x").set("n", RawMcpClient.JSON.createArrayNode().add(1))));
        }
        assertThat(ASKED).contains(
                new Operation("mcp", "call_tool", "Tool", "one_tool1", Map.of("method", "tools/list", "target", "one", "name", "tool1")),
                new Operation("mcp", "get_prompt", "Prompt", "two_secret", Map.of("method", "prompts/list", "target", "two", "name", "secret")),
                new Operation("mcp", "read_resource", "Resource", "one+mem://secret",
                        Map.of("method", "resources/list", "target", "one", "name", "mem://secret")),
                new Operation("mcp", "read_resource", "Resource", "two+mem://hello/{x}",
                        Map.of("method", "resources/templates/list", "target", "two", "name", "mem://hello/{x}")));
        // the request-level check of the tool call: the operation Operations records, with plain Java arguments
        assertThat(ASKED).anySatisfy(operation -> {
            assertThat(operation.action()).isEqualTo("call_tool");
            assertThat(operation.resourceId()).isEqualTo("one_tool0");
            assertThat(operation.context().get("arguments")).isEqualTo(Map.of("q", "x", "n", List.of(1)));
        });
    }

    @Test
    void aLenientPolicyLeavesTheCallCheckToTheBackendWithTheAgreedShape() throws Exception {
        try (RawMcpClient bob = client("/mcp", "bob").header("X-Lenient", "yes")) {
            ASKED.clear();
            JsonNode result = bob.call("tools/call", RawMcpClient.object().put("name", "one_tool2")
                    .set("arguments", RawMcpClient.object().put("q", "x")));
            assertThat(result.path("result").path("content").path(0).path("text").asText()).isEqualTo("one:tool2:{\"q\":\"x\"}");
        }
        assertThat(ASKED).containsExactly(new Operation("mcp", "call_tool", "Tool", "one_tool2",
                Map.of("method", "tools/call", "target", "one", "name", "tool2", "arguments", Map.of("q", "x"))));
    }

    @Test
    void aHiddenToolCallIsAnsweredExactlyAsAnUnknownToolAndNeverReachesTheUpstream() throws Exception {
        answeredAsUnknown(request("tools/call", RawMcpClient.object().put("name", "one_tool1")
                .set("arguments", RawMcpClient.object().put("q", "x"))), "Unknown tool: one_tool1");
        assertThat(ONE.requests()).noneSatisfy(r -> assertThat(r.path("params").path("name").asText()).isEqualTo("tool1"));
    }

    @Test
    void hiddenPromptsResourcesAndReferencesAreAnsweredAsUnknown() throws Exception {
        answeredAsUnknown(request("prompts/get", RawMcpClient.object().put("name", "one_secret")), "Unknown prompt: one_secret");
        answeredAsUnknown(request("resources/read", RawMcpClient.object().put("uri", "one+mem://secret")),
                "Unknown resource: one+mem://secret");
        answeredAsUnknown(request("resources/subscribe", RawMcpClient.object().put("uri", "one+mem://secret")),
                "Unknown resource: one+mem://secret");
        ObjectNode completion = RawMcpClient.object();
        completion.putObject("ref").put("type", "ref/prompt").put("name", "one_secret");
        completion.putObject("argument").put("name", "a").put("value", "b");
        answeredAsUnknown(request("completion/complete", completion),
                "Unknown reference: {\"type\":\"ref/prompt\",\"name\":\"one_secret\"}");
    }

    @Test
    void withoutPrefixesAmbiguityDoesNotDependOnTheCallerAndRefusedTargetsAreNotTried() throws Exception {
        try (RawMcpClient carol = client("/flat", "carol")) {
            // first page: tool0 and tool1 come from both targets, ambiguous for everyone even though carol
            // may not see two's; two's tool2 is refused
            assertThat(carol.call("tools/list", null).path("result").path("tools")).isEmpty();
            // a URI no list named (after the lookup's resources/list) is tried on every target carol may read from: one only
            JsonNode read = carol.call("resources/read", RawMcpClient.object().put("uri", "mem://unlisted"));
            assertThat(read.path("result").path("contents").path(0).path("text").asText()).isEqualTo("one:mem://unlisted");
            assertThat(TWO.requests()).noneSatisfy(r -> assertThat(r.path("params").path("uri").asText()).isEqualTo("mem://unlisted"));
        }
    }

    @Test
    void visibleItemsStillWork() throws Exception {
        try (RawMcpClient bob = client("/mcp", "bob")) {
            assertThat(bob.call("prompts/get", RawMcpClient.object().put("name", "one_hello"))
                    .path("result").path("messages").path(0).path("content").path("text").asText()).isEqualTo("one:hello");
            assertThat(bob.call("resources/read", RawMcpClient.object().put("uri", "two+mem://hello"))
                    .path("result").path("contents").path(0).path("uri").asText()).isEqualTo("two+mem://hello");
        }
    }

    @Test
    void oddAndHugeToolNamesAreUnknownWithoutReachingTheUpstream() throws Exception {
        answeredAsUnknown(request("tools/call", RawMcpClient.object().put("name", "one_\u0000\u202E\uD83D\uDE00e\u0301\uFFFF")),
                "Unknown tool: one_\u0000\u202E\uD83D\uDE00e\u0301\uFFFF");
        String huge = "one_" + "\u00e9".repeat(10_000);
        answeredAsUnknown(request("tools/call", RawMcpClient.object().put("name", huge)), "Unknown tool: " + huge);
    }
}
