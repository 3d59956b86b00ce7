/**
 * The MCP gateway: {@link dev.agentgateway.mcp.McpBackend} federates MCP servers
 * ({@link dev.agentgateway.mcp.McpTarget}: stdio processes, Streamable HTTP and legacy HTTP+SSE servers,
 * servers built with the MCP Java SDK mounted in-process) behind one Streamable HTTP (and legacy SSE)
 * endpoint with stateful sessions, MCP protocol versions 2024-11-05 to 2025-11-25.
 *
 * <pre>{@code
 * Gateway gateway = Gateway.builder()
 *         .route(Route.builder("tools").path("/mcp")
 *                 .backend(McpBackend.builder()
 *                         .target(McpTarget.stdio("everything", "npx", "-y", "@modelcontextprotocol/server-everything"))
 *                         .target(McpTarget.streamableHttp("weather", URI.create("http://127.0.0.1:9001/mcp")))
 *                         .toolFilter(ToolFilter.denyOnly("*_delete*"))
 *                         .build()))
 *         .start();
 * }</pre>
 */
package dev.agentgateway.mcp;
