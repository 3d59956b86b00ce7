package dev.agentgateway.mcp;

import java.net.URI;
import java.util.List;

/**
 * One MCP server behind an {@link McpBackend}: a child process spoken to over stdio, a Streamable HTTP
 * or legacy HTTP+SSE server, or a server built with the MCP Java SDK and mounted in-process.
 *
 * <pre>{@code
 * McpTarget.stdio("everything", "npx", "-y", "@modelcontextprotocol/server-everything")
 *          .withEnv("LOG_LEVEL", "debug");
 * McpTarget.streamableHttp("weather", URI.create("http://127.0.0.1:9001/mcp"))
 *          .withHeader("X-Api-Key", key);
 * McpTarget.sse("legacy", URI.create("http://127.0.0.1:9002/sse"));
 * }</pre>
 *
 * <p>The name is the prefix of the target's tools and prompts ({@code weather_forecast}) and of its
 * resource URIs ({@code weather+file:///readme}); it must start with a letter and contain only letters,
 * digits, {@code -} and {@code .} (the delimiters {@code _} and {@code +} are reserved).
 */
public sealed interface McpTarget permits StdioTarget, StreamableHttpTarget, SseTarget, InProcessTarget {

    /** The target's name, unique within a backend. */
    String name();

    /** How long a request to this target may take before the client gets a JSON-RPC error. */
    java.time.Duration requestTimeout();

    /** A child process started with {@code command} and {@code args}, one process per client session. */
    static StdioTarget stdio(String name, String command, String... args) {
        return StdioTarget.of(name, command, List.of(args));
    }

    /** A server speaking Streamable HTTP (MCP 2025-03-26 and later) at {@code uri}. */
    static StreamableHttpTarget streamableHttp(String name, URI uri) {
        return StreamableHttpTarget.of(name, uri);
    }

    /** A server speaking the legacy HTTP+SSE transport (MCP 2024-11-05), whose event stream is at {@code uri}. */
    static SseTarget sse(String name, URI uri) {
        return SseTarget.of(name, uri);
    }

    /**
     * A server built with the MCP Java SDK, called without a network hop. See {@link InProcessTarget}.
     */
    static InProcessTarget inProcess(String name, InProcessTarget.ServerFactory server) {
        return InProcessTarget.of(name, server);
    }
}
