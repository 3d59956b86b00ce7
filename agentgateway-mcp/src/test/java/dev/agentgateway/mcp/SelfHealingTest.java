package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ConformanceFixture;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkHttpServer;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP target killed and restarted mid-session (a new process knows none of the old sessions): the
 * call made while it is down gets a JSON-RPC error at once, not a hang; after the restart the client's
 * session goes on, the gateway re-initialising the target with the client's capabilities.
 */
class SelfHealingTest {
    static final int PORT = NodePeers.freePort();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("fixture", URI.create("http://127.0.0.1:" + PORT + "/mcp")))
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

    private static String text(JsonNode response) {
        return response.path("result").path("content").get(0).path("text").asText();
    }
}
