package dev.agentgateway.mcp.internal.upstream.inprocess;

import dev.agentgateway.mcp.InProcessTarget;
import dev.agentgateway.mcp.internal.Json;
import dev.agentgateway.mcp.internal.upstream.UpstreamChannel;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpSyncServer;

/**
 * An MCP Java SDK server built for one bound backend on the gateway's own transport provider; each
 * upstream session is an SDK session reached by method calls, without a network hop. This is the only
 * place the SDK is used, and it is loaded only when a backend has in-process targets.
 */
public final class InProcessServer {
    private final InProcessTransportProvider provider;
    private final Object server;

    public InProcessServer(InProcessTarget target, Json json) {
        this.provider = new InProcessTransportProvider(new JacksonMcpJsonMapper(new com.fasterxml.jackson.databind.ObjectMapper()));
        Object built = target.server().create(provider);
        if (built == null) {
            throw new IllegalStateException("target '" + target.name() + "': the server factory returned null");
        }
        this.server = built;
        if (!provider.hasSessionFactory()) {
            throw new IllegalStateException("target '" + target.name() + "': the server factory did not build an MCP server"
                    + " on the transport it was given (call McpServer.sync(transport)...build())");
        }
    }

    /** A transport to a new SDK session of this server. */
    public UpstreamChannel newChannel() {
        return new InProcessChannel(provider);
    }

    /** Closes the SDK server and its sessions. */
    public void close() {
        switch (server) {
            case McpSyncServer sync -> sync.closeGracefully();
            case McpAsyncServer async -> async.closeGracefully().block();
            default -> provider.closeGracefully().block();
        }
    }
}
