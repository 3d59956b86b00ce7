package dev.agentgateway.mcp.internal;

import java.time.Duration;
import java.util.List;

import dev.agentgateway.mcp.FailureMode;
import dev.agentgateway.mcp.McpBackend;
import dev.agentgateway.mcp.McpTarget;
import dev.agentgateway.mcp.PrefixMode;
import dev.agentgateway.mcp.ToolFilter;
import dev.agentgateway.mcp.ToolViews;

/**
 * The configuration of an {@link McpBackend} as its running instances see it (holds the session key: not API).
 *
 * @param name names the backend in logs and meters
 * @param targets the servers behind the backend, in order
 * @param prefixMode how names are prefixed
 * @param failureMode what fan-out requests do when targets fail
 * @param toolFilter which tools are exposed
 * @param sessionKey the AES key (16, 24 or 32 bytes) protecting session ids and cursors, or {@code null} for a random key per gateway
 * @param sessionIdleTimeout how long an unused session lives
 * @param maxSessions the most client sessions alive at once; beyond it the one unused the longest ends
 * @param allowedOrigins {@code Origin} values accepted ({@code "*"} for any); requests without {@code Origin} are always accepted
 * @param allowedHosts {@code Host} values accepted
 * @param maxMessageSize the largest JSON-RPC message accepted from a client or an upstream, in bytes
 * @param serverName {@code serverInfo.name} answered to clients
 * @param serverVersion {@code serverInfo.version} answered to clients
 * @param instructions text put before the targets' own instructions, or {@code null}
 * @param eventBufferSize events kept per event stream for clients that resume with {@code Last-Event-ID}
 * @param sseRetry the {@code retry} hint sent on event streams, or {@code null} for none
 * @param toolViews how tools look to each caller
 * @param inputRequestTimeout how long a modern client's answer to an {@code input_required} result may take
 */
public record McpSettings(String name, List<McpTarget> targets, PrefixMode prefixMode, FailureMode failureMode,
                       ToolFilter toolFilter, byte[] sessionKey, Duration sessionIdleTimeout, int maxSessions,
                       List<String> allowedOrigins, AllowedHosts allowedHosts, long maxMessageSize, String serverName, String serverVersion,
                       String instructions, int eventBufferSize, Duration sseRetry, ToolViews toolViews,
                       Duration inputRequestTimeout) {
}
