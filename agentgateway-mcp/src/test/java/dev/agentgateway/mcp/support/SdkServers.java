package dev.agentgateway.mcp.support;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

/** MCP servers built with the MCP Java SDK 2.1.0, used as in-process targets and behind HTTP in tests. */
public final class SdkServers {
    private SdkServers() {
    }

    static final Map<String, Object> NUMBERS = Map.of("type", "object",
            "properties", Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")), "required", List.of("a", "b"));
    static final Map<String, Object> QUESTION = Map.of("type", "object",
            "properties", Map.of("question", Map.of("type", "string")), "required", List.of("question"));
    public static final Map<String, Object> NOTHING = Map.of("type", "object", "properties", Map.of());

    /**
     * A server named {@code name} with tools {@code add} (a+b), {@code ask} (asks the client to sample an
     * answer to {@code question}), {@code steps} (three progress notifications, then "done"), {@code whoami}
     * (its own session id), a prompt {@code greeting} and a resource {@code memo://<name>}.
     */
    public static McpSyncServer calculator(McpStreamableServerTransportProvider transport, String name) {
        return McpServer.sync(transport)
                .serverInfo(name, "1.0.0")
                .instructions("Use " + name + " for arithmetic.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(true).resources(true, true).logging().build())
                .tools(tool("add", "Adds two numbers", NUMBERS, (exchange, request) -> {
                            double sum = ((Number) request.arguments().get("a")).doubleValue() + ((Number) request.arguments().get("b")).doubleValue();
                            return text(name + ": " + (sum == Math.rint(sum) ? Long.toString((long) sum) : Double.toString(sum)));
                        }),
                        tool("ask", "Asks the client's model", QUESTION, (exchange, request) -> {
                            McpSchema.CreateMessageResult answer = exchange.createMessage(McpSchema.CreateMessageRequest.builder(
                                    List.of(McpSchema.SamplingMessage.builder(McpSchema.Role.USER,
                                            McpSchema.TextContent.builder((String) request.arguments().get("question")).build()).build()), 20)
                                    .build());
                            return text("model said: " + ((McpSchema.TextContent) answer.content()).text());
                        }),
                        tool("steps", "Reports progress three times", NOTHING, (exchange, request) -> {
                            Object token = request.meta() == null ? null : request.meta().get("progressToken");
                            for (int i = 1; i <= 3 && token != null; i++) {
                                exchange.progressNotification(McpSchema.ProgressNotification.builder(token, i).total(3.0).build());
                            }
                            return text("done");
                        }),
                        tool("whoami", "Names the upstream session", NOTHING, (exchange, request) -> text(String.valueOf(exchange.sessionId()))))
                .prompts(new McpServerFeatures.SyncPromptSpecification(McpSchema.Prompt.builder("greeting").description("Says hello").build(),
                        (exchange, request) -> McpSchema.GetPromptResult.builder(List.of(McpSchema.PromptMessage.builder(McpSchema.Role.USER,
                                McpSchema.TextContent.builder("Hello from " + name).build()).build())).build()))
                .resources(new McpServerFeatures.SyncResourceSpecification(
                        McpSchema.Resource.builder("memo://" + name, "memo").mimeType("text/plain").build(),
                        (exchange, request) -> McpSchema.ReadResourceResult.builder(List.of(
                                McpSchema.TextResourceContents.builder(request.uri(), "memo of " + name).mimeType("text/plain").build())).build()))
                .build();
    }

    public static McpServerFeatures.SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
            java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder(name, schema).description(description).build())
                .callHandler(handler)
                .build();
    }

    public static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }
}
