package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ConformanceFixture;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeProcess;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkHttpServer;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP target killed and restarted mid-session (a new process knows none of the old sessions): the
 * call made while it is down gets a JSON-RPC error at once, not a hang; after the restart the client's
 * session goes on, the gateway re-initialising the target with the client's capabilities. A target
 * that comes back speaking another era is detected again.
 */
class SelfHealingTest {
    static final int PORT = NodePeers.freePort();
    static final int ERA_PORT = NodePeers.freePort();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("fixture", URI.create("http://127.0.0.1:" + PORT + "/mcp")))
                    .build()))
            .route(Route.builder("era").path("/era").backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("switching", URI.create("http://127.0.0.1:" + ERA_PORT + "/mcp")))
                    .build())));

    @Test
    void anHttpTargetRestartedMidSessionIsReinitialisedAndTheClientsSessionGoesOn() throws Exception {
        SdkHttpServer first = new SdkHttpServer(ConformanceFixture::build, PORT);
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            ObjectNode capabilities = RawMcpClient.object();
            capabilities.putObject("elicitation");
            client.onServerRequest(request -> {
                ObjectNode answer = RawMcpClient.object().put("action", "accept");
                answer.putObject("content").put("username", "after-restart").put("email", "a@example.com");
                return answer;
            });
            client.initialize(capabilities);
            assertThat(text(client.call("tools/call", RawMcpClient.object().put("name", "test_simple_text")))).startsWith("This is a simple");

            first.close();
            JsonNode down = client.call("tools/call", RawMcpClient.object().put("name", "test_simple_text"));
            assertThat(down.path("error").path("message").asText()).contains("fixture");

            try (SdkHttpServer second = new SdkHttpServer(ConformanceFixture::build, PORT)) {
                assertThat(text(client.call("tools/call", RawMcpClient.object().put("name", "test_simple_text")))).startsWith("This is a simple");
                // the re-initialised upstream session was told the client's capabilities again: it may elicit
                JsonNode elicited = client.call("tools/call", RawMcpClient.object().put("name", "test_elicitation")
                        .set("arguments", RawMcpClient.object().put("message", "still there?")));
                assertThat(text(elicited)).contains("after-restart");
            }
        }
    }

    @Test
    void aLegacyTargetThatComesBackAsAModernOnlyServerIsAskedAgain() throws Exception {
        try (SdkHttpServer legacy = new SdkHttpServer(ConformanceFixture::build, ERA_PORT);
             RawMcpClient before = new RawMcpClient(GATEWAY.uri("/era"))) {
            before.initialize(RawMcpClient.object()); // the gateway now remembers the target as legacy
            assertThat(text(before.call("tools/call", RawMcpClient.object().put("name", "test_simple_text")))).startsWith("This is a simple");
        }
        // the same address now answers only 2026-07-28: the legacy initialize it is sent first is refused (-32022)
        try (NodeProcess modern = NodePeers.modernFixture(ERA_PORT, Map.of("LEGACY", "reject"));
             RawMcpClient after = new RawMcpClient(GATEWAY.uri("/era"))) {
            after.initialize(RawMcpClient.object());
            assertThat(text(after.call("tools/call", RawMcpClient.object().put("name", "test_simple_text"))))
                    .isEqualTo("This is a simple text response for testing.");
        }
    }

    private static String text(JsonNode response) {
        return response.path("result").path("content").get(0).path("text").asText();
    }
}
