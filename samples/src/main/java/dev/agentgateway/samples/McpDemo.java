package dev.agentgateway.samples;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.McpBackend;
import dev.agentgateway.mcp.McpTarget;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

/**
 * The MCP part of the quickstart: an {@code /mcp} endpoint federating two MCP servers built with the MCP
 * Java SDK and mounted in-process (offline, no credentials): {@code clock} (tool {@code clock_now}) and
 * {@code notes} (tools {@code notes_add} and {@code notes_list}, resource {@code notes+notes://all},
 * prompt {@code notes_summarize}).
 *
 * <pre>
 * curl -si -X POST localhost:8080/mcp -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' \
 *   -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
 * # then, with the Mcp-Session-Id header it answered:
 * curl -s -X POST localhost:8080/mcp -H "Mcp-Session-Id: $SESSION" -H 'Content-Type: application/json' \
 *   -H 'Accept: application/json, text/event-stream' -d '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
 * </pre>
 */
public final class McpDemo {
    private static final Map<String, Object> NO_ARGS = Map.of("type", "object", "properties", Map.of());

    private McpDemo() {
    }

    /** The {@code /mcp} route. */
    public static Route route() {
        return Route.builder("mcp").path("/mcp").backend(backend()).build();
    }

    /** The backend federating the two demo servers. */
    static McpBackend backend() {
        return McpBackend.builder()
                .target(McpTarget.inProcess("clock", McpDemo::clock))
                .target(McpTarget.inProcess("notes", McpDemo::notes))
                .instructions("Demo servers of the agentgateway quickstart.")
                .build();
    }

    /** The curl commands that try the {@code /mcp} route of a gateway at {@code base}, one per line. */
    static String commands(String base) {
        String accept = "-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'";
        return """
                  SESSION=$(curl -si %1$s/mcp %2$s \\
                       -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}' \\
                       | tr -d '\\r' | awk 'tolower($1)=="mcp-session-id:" {print $2}')
                  curl -s %1$s/mcp %2$s -H "Mcp-Session-Id: $SESSION" -d '{"jsonrpc":"2.0","method":"notifications/initialized"}'
                  curl -s %1$s/mcp %2$s -H "Mcp-Session-Id: $SESSION" -d '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
                  curl -s %1$s/mcp %2$s -H "Mcp-Session-Id: $SESSION" \\
                       -d '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"clock_now","arguments":{}}}'
                """.formatted(base, accept);
    }

    static McpSyncServer clock(McpStreamableServerTransportProvider transport) {
        Clock clock = Clock.systemUTC();
        return McpServer.sync(transport)
                .serverInfo("clock", "1.0.0")
                .instructions("Tells the time.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(tool("now", "The current time (UTC, ISO 8601)", NO_ARGS,
                        (exchange, request) -> text(Instant.now(clock).toString())))
                .build();
    }

    static McpSyncServer notes(McpStreamableServerTransportProvider transport) {
        List<String> notes = new CopyOnWriteArrayList<>(); // one list per gateway that mounts the server
        return McpServer.sync(transport)
                .serverInfo("notes", "1.0.0")
                .instructions("Keeps short notes.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(false, true).prompts(true).build())
                .tools(tool("add", "Adds a note", Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                                "required", List.of("text")), (exchange, request) -> {
                            notes.add(String.valueOf(request.arguments().get("text")));
                            return text("noted (" + notes.size() + " notes)");
                        }),
                        tool("list", "Lists the notes", NO_ARGS, (exchange, request) -> text(String.join("\n", notes))))
                .resources(new McpServerFeatures.SyncResourceSpecification(
                        McpSchema.Resource.builder("notes://all", "all notes").mimeType("text/plain").build(),
                        (exchange, request) -> McpSchema.ReadResourceResult.builder(List.of(
                                McpSchema.TextResourceContents.builder(request.uri(), String.join("\n", notes)).mimeType("text/plain").build()))
                                .build()))
                .prompts(new McpServerFeatures.SyncPromptSpecification(
                        McpSchema.Prompt.builder("summarize").description("Asks for a summary of the notes").build(),
                        (exchange, request) -> McpSchema.GetPromptResult.builder(List.of(McpSchema.PromptMessage.builder(McpSchema.Role.USER,
                                McpSchema.TextContent.builder("Summarize these notes:\n" + String.join("\n", notes)).build()).build())).build()))
                .build();
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
            java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        return McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder(name, schema).description(description).build())
                .callHandler(handler)
                .build();
    }

    private static McpSchema.CallToolResult text(String text) {
        return McpSchema.CallToolResult.builder().addTextContent(text).build();
    }
}
