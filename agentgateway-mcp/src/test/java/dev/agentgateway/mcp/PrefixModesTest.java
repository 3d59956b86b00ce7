package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ConformanceFixture;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** prefixMode: never (owners found by listing, ambiguous names dropped) and always (prefix even with one target). */
class PrefixModesTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("never").path("/never").backend(McpBackend.builder()
                    .target(McpTarget.inProcess("alpha", transport -> SdkServers.calculator(transport, "alpha")))
                    .target(McpTarget.inProcess("fix", ConformanceFixture::build))
                    .prefixMode(PrefixMode.NEVER)
                    .build()))
            .route(Route.builder("clash").path("/clash").backend(McpBackend.builder()
                    .target(McpTarget.inProcess("alpha", transport -> SdkServers.calculator(transport, "alpha")))
                    .target(McpTarget.inProcess("beta", transport -> SdkServers.calculator(transport, "beta")))
                    .prefixMode(PrefixMode.NEVER)
                    .build()))
            .route(Route.builder("always").path("/always").backend(McpBackend.builder()
                    .target(McpTarget.inProcess("alpha", transport -> SdkServers.calculator(transport, "alpha")))
                    .prefixMode(PrefixMode.ALWAYS)
                    .build())));

    private static RawMcpClient client(String path) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri(path));
        client.initialize(RawMcpClient.object());
        return client;
    }

    private static List<String> toolNames(RawMcpClient client) throws Exception {
        List<String> names = new ArrayList<>();
        client.call("tools/list", null).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    private static String text(JsonNode response) {
        return response.path("result").path("content").path(0).path("text").asText();
    }

    @Test
    void neverPrefixesAndRoutesEachNameToTheTargetThatListsIt() throws Exception {
        try (RawMcpClient client = client("/never")) {
            assertThat(toolNames(client)).contains("add", "whoami", "test_simple_text", "test_error_handling")
                    .noneMatch(name -> name.startsWith("alpha_") || name.startsWith("fix_"));
            ObjectNode add = RawMcpClient.object().put("name", "add");
            add.putObject("arguments").put("a", 1).put("b", 2);
            assertThat(text(client.call("tools/call", add))).isEqualTo("alpha: 3");
            assertThat(text(client.call("tools/call", RawMcpClient.object().put("name", "test_simple_text"))))
                    .isEqualTo("This is a simple text response for testing.");
            JsonNode memo = client.call("resources/read", RawMcpClient.object().put("uri", "memo://alpha"));
            assertThat(memo.path("result").path("contents").path(0).path("text").asText()).isEqualTo("memo of alpha");
            JsonNode fixture = client.call("resources/read", RawMcpClient.object().put("uri", "test://static-text"));
            assertThat(fixture.path("result").path("contents").path(0).path("uri").asText()).isEqualTo("test://static-text");
        }
    }

    @Test
    void neverFindsTheOwnerOfANameEvenBeforeAnyListing() throws Exception {
        try (RawMcpClient client = client("/never")) {
            assertThat(text(client.call("tools/call", RawMcpClient.object().put("name", "test_simple_text"))))
                    .isEqualTo("This is a simple text response for testing.");
        }
    }

    @Test
    void namesOfferedBySeveralTargetsAreAmbiguousAndDropped() throws Exception {
        try (RawMcpClient client = client("/clash")) {
            assertThat(toolNames(client)).isEmpty();
            JsonNode call = client.call("tools/call", RawMcpClient.object().put("name", "add"));
            assertThat(call.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(call.path("error").path("message").asText()).isEqualTo("Unknown tool: add");
        }
    }

    @Test
    void alwaysPrefixesEvenASingleTarget() throws Exception {
        try (RawMcpClient client = client("/always")) {
            assertThat(toolNames(client)).containsExactly("alpha_add", "alpha_ask", "alpha_steps", "alpha_whoami");
            ObjectNode add = RawMcpClient.object().put("name", "alpha_add");
            add.putObject("arguments").put("a", 2).put("b", 2);
            assertThat(text(client.call("tools/call", add))).isEqualTo("alpha: 4");
        }
    }
}
