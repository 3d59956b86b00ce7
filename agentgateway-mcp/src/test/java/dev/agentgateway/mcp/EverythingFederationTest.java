package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeProcess;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** server-everything (npm) over stdio and over Streamable HTTP, federated behind one gateway endpoint. */
class EverythingFederationTest {
    static final NodeProcess HTTP = NodePeers.everythingHttp("streamableHttp");

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.stdio("local", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                    .target(McpTarget.streamableHttp("remote", URI.create(HTTP.url("/mcp"))))
                    .build()))
            .route(Route.builder("single").path("/single").backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("remote", URI.create(HTTP.url("/mcp"))))
                    .build())));

    @AfterAll
    static void stop() {
        HTTP.close();
    }

    private RawMcpClient client() throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("sampling");
        capabilities.putObject("elicitation");
        client.initialize(capabilities);
        return client;
    }

    @Test
    void initializeAnswersForBothTargetsWithASessionId() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            JsonNode result = client.initialize(RawMcpClient.object());
            assertThat(client.sessionId()).matches("[\\x21-\\x7E]+");
            assertThat(result.path("protocolVersion").asText()).isEqualTo("2025-11-25");
            assertThat(result.path("serverInfo").path("name").asText()).isEqualTo("agentgateway");
            assertThat(result.path("capabilities").has("tools")).isTrue();
            assertThat(result.path("capabilities").has("prompts")).isTrue();
            assertThat(result.path("capabilities").path("resources").path("subscribe").asBoolean()).isTrue();
            assertThat(result.path("instructions").asText()).contains("[local]").contains("[remote]");
        }
    }

    @Test
    void toolsOfBothTargetsArePrefixedInTargetOrderWithEveryFieldKept() throws Exception {
        try (RawMcpClient client = client()) {
            JsonNode result = client.call("tools/list", null).path("result");
            List<String> names = new ArrayList<>();
            result.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
            assertThat(names).contains("local_echo", "local_get-sum", "remote_echo", "remote_trigger-sampling-request");
            assertThat(names.indexOf("local_echo")).isLessThan(names.indexOf("remote_echo"));
            assertThat(names.stream().filter(n -> n.startsWith("local_")).count())
                    .isEqualTo(names.stream().filter(n -> n.startsWith("remote_")).count());
            JsonNode echo = find(result.path("tools"), "local_echo");
            assertThat(echo.has("inputSchema")).isTrue();
            assertThat(echo.has("execution")).as("execution.taskSupport passes through: %s", echo).isTrue();
        }
    }

    @Test
    void callsGoToTheOwningTarget() throws Exception {
        try (RawMcpClient client = client()) {
            for (String target : List.of("local", "remote")) {
                ObjectNode params = RawMcpClient.object().put("name", target + "_get-sum");
                params.putObject("arguments").put("a", 2).put("b", 3);
                JsonNode response = client.call("tools/call", params);
                assertThat(response.path("result").path("content").path(0).path("text").asText())
                        .isEqualTo("The sum of 2 and 3 is 5.");
            }
        }
    }

    @Test
    void promptsAndResourcesAreFederated() throws Exception {
        try (RawMcpClient client = client()) {
            JsonNode prompts = client.call("prompts/list", null).path("result").path("prompts");
            assertThat(find(prompts, "remote_simple-prompt")).isNotNull();
            JsonNode prompt = client.call("prompts/get", RawMcpClient.object().put("name", "local_simple-prompt"));
            assertThat(prompt.path("result").path("messages").size()).isPositive();

            JsonNode templates = client.call("resources/templates/list", null).path("result").path("resourceTemplates");
            assertThat(templates.path(0).path("uriTemplate").asText()).startsWith("local+");
            JsonNode read = client.call("resources/read", RawMcpClient.object().put("uri", "remote+demo://resource/dynamic/text/1"));
            assertThat(read.path("result").path("contents").path(0).path("uri").asText()).isEqualTo("remote+demo://resource/dynamic/text/1");
        }
    }

    @Test
    void resourceLinksInResultsCarryTheTargetPrefixAndCanBeRead() throws Exception {
        try (RawMcpClient client = client()) {
            ObjectNode params = RawMcpClient.object().put("name", "remote_get-resource-links");
            params.putObject("arguments").put("count", 2);
            JsonNode content = client.call("tools/call", params).path("result").path("content");
            List<String> links = new ArrayList<>();
            content.forEach(block -> {
                if (block.path("type").asText().equals("resource_link")) {
                    links.add(block.path("uri").asText());
                }
            });
            assertThat(links).isNotEmpty().allSatisfy(uri -> assertThat(uri).startsWith("remote+"));
            JsonNode read = client.call("resources/read", RawMcpClient.object().put("uri", links.get(0)));
            assertThat(read.path("result").path("contents").path(0).path("uri").asText()).isEqualTo(links.get(0));
        }
    }

    @Test
    void completionsGoToTheTargetOfThePrompt() throws Exception {
        try (RawMcpClient client = client()) {
            ObjectNode params = RawMcpClient.object();
            params.putObject("ref").put("type", "ref/prompt").put("name", "local_completable-prompt");
            params.putObject("argument").put("name", "department").put("value", "Eng");
            JsonNode completion = client.call("completion/complete", params);
            assertThat(completion.path("result").path("completion").path("values").toString()).contains("Engineering");
        }
    }

    @Test
    void protocolVersionsAreNegotiatedWithTheClientIndependently() throws Exception {
        for (String version : List.of("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")) {
            ObjectNode params = RawMcpClient.object().put("protocolVersion", version);
            params.putObject("capabilities");
            params.putObject("clientInfo").put("name", "v").put("version", "1");
            try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
                JsonNode answer = RawMcpClient.parse(client.post(client.request("initialize", params)).body());
                assertThat(answer.path("result").path("protocolVersion").asText()).isEqualTo(version);
            }
        }
        ObjectNode future = RawMcpClient.object().put("protocolVersion", "2099-01-01");
        future.putObject("capabilities");
        future.putObject("clientInfo").put("name", "v").put("version", "1");
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            JsonNode answer = RawMcpClient.parse(client.post(client.request("initialize", future)).body());
            assertThat(answer.path("result").path("protocolVersion").asText()).isEqualTo("2025-11-25");
        }
    }

    @Test
    void listsThroughTheGatewayAreByteForByteWhatTheServerSays() throws Exception {
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("sampling");
        capabilities.putObject("elicitation");
        try (RawMcpClient direct = new RawMcpClient(URI.create(HTTP.url("/mcp")));
             RawMcpClient gateway = new RawMcpClient(GATEWAY.uri("/single"))) {
            direct.initialize(capabilities);
            gateway.initialize(capabilities);
            for (String method : List.of("tools/list", "prompts/list", "resources/list", "resources/templates/list")) {
                JsonNode expected = direct.call(method, null).path("result");
                JsonNode actual = gateway.call(method, null).path("result");
                assertThat(actual.toString()).as(method).isEqualTo(expected.toString());
            }
        }
    }

    static JsonNode find(JsonNode items, String name) {
        for (JsonNode item : items) {
            if (name.equals(item.path("name").asText())) {
                return item;
            }
        }
        return null;
    }
}
