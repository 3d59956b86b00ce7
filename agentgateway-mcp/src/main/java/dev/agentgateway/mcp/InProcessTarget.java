package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import dev.agentgateway.core.Checks;
import dev.agentgateway.mcp.internal.TargetNames;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

/**
 * A server the application built with the MCP Java SDK ({@code io.modelcontextprotocol.sdk:mcp-core} and
 * {@code mcp-json-jackson2}, which the application adds to its class path), mounted behind the gateway
 * without a network hop: the gateway hands the factory a transport provider of its own and talks to the
 * SDK's sessions directly. Each gateway that binds the backend builds its own server instance.
 *
 * <pre>{@code
 * McpTarget.inProcess("clock", transport -> McpServer.sync(transport)
 *         .serverInfo("clock", "1.0.0")
 *         .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
 *         .toolCall(McpSchema.Tool.builder().name("now").inputSchema(emptySchema).build(),
 *                 (exchange, request) -> McpSchema.CallToolResult.builder()
 *                         .addTextContent(Instant.now().toString()).build())
 *         .build());
 * }</pre>
 *
 * @param name the target's name
 * @param server builds the SDK server on the transport provider it is given
 * @param requestTimeout how long a request may take
 */
public record InProcessTarget(String name, ServerFactory server, Duration requestTimeout) implements McpTarget {

    public InProcessTarget {
        TargetNames.check(name);
        requireNonNull(server, "server");
        Checks.positive(requestTimeout, "requestTimeout");
    }

    static InProcessTarget of(String name, ServerFactory server) {
        return new InProcessTarget(name, server, Duration.ofSeconds(60));
    }

    /** How long a request may take (default 60 s). */
    public InProcessTarget withRequestTimeout(Duration timeout) {
        return new InProcessTarget(name, server, timeout);
    }

    /** Builds an MCP Java SDK server ({@code McpSyncServer} or {@code McpAsyncServer}) on the given transport. */
    @FunctionalInterface
    public interface ServerFactory {
        /** Builds the server, typically {@code McpServer.sync(transport)...build()}; returns it. */
        Object create(McpStreamableServerTransportProvider transport);
    }
}
