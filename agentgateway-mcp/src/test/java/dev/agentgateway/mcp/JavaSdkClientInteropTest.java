package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The MCP Java SDK 2.1.0 client through the gateway, over Streamable HTTP and legacy SSE. */
class JavaSdkClientInteropTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.stdio("everything", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                    .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc")))
                    .build())));

    private static McpSyncClient client(McpClientTransport transport, List<McpSchema.ProgressNotification> progress) {
        return McpClient.sync(transport)
                .clientInfo(McpSchema.Implementation.builder("java-it", "0.0.1").build())
                .requestTimeout(Duration.ofSeconds(30))
                .capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                .sampling(request -> McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT,
                        McpSchema.TextContent.builder("canned").build(), "test-model").build())
                .progressConsumer(progress::add)
                .build();
    }

    private static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    void streamableHttp() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        var transport = HttpClientStreamableHttpTransport.builder(GATEWAY.uri("/").toString()).endpoint("/mcp").build();
        try (McpSyncClient mcp = client(transport, progress)) {
            exercise(mcp);
        }
    }

    @Test
    void legacySse() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        var transport = HttpClientSseClientTransport.builder(GATEWAY.uri("/").toString()).sseEndpoint("/mcp").build();
        try (McpSyncClient mcp = client(transport, progress)) {
            exercise(mcp);
        }
    }

    private static void exercise(McpSyncClient mcp) {
        McpSchema.InitializeResult init = mcp.initialize();
        assertThat(init.serverInfo().name()).isEqualTo("agentgateway");
        List<String> names = new ArrayList<>(mcp.listTools().tools().stream().map(McpSchema.Tool::name).toList());
        assertThat(names).contains("everything_echo", "everything_trigger-sampling-request", "calc_add", "calc_ask");
        McpSchema.CallToolResult sum = mcp.callTool(McpSchema.CallToolRequest.builder("everything_get-sum")
                .arguments(Map.of("a", 2, "b", 3)).build());
        assertThat(text(sum)).isEqualTo("The sum of 2 and 3 is 5.");
        McpSchema.CallToolResult asked = mcp.callTool(McpSchema.CallToolRequest.builder("calc_ask")
                .arguments(Map.of("question", "meaning?")).build());
        assertThat(text(asked)).isEqualTo("model said: canned");
        McpSchema.CallToolResult sampled = mcp.callTool(McpSchema.CallToolRequest.builder("everything_trigger-sampling-request")
                .arguments(Map.of("prompt", "hi", "maxTokens", 5)).build());
        assertThat(text(sampled)).contains("canned");
        assertThat(mcp.listPrompts().prompts().stream().map(McpSchema.Prompt::name).toList()).contains("calc_greeting", "everything_simple-prompt");
        assertThat(mcp.readResource(McpSchema.ReadResourceRequest.builder("calc+memo://calc").build()).contents()).hasSize(1);
        mcp.ping();
    }
}
