package dev.agentgateway.mcp.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.mcp.InProcessTarget;
import dev.agentgateway.mcp.McpTarget;
import dev.agentgateway.mcp.SseTarget;
import dev.agentgateway.mcp.StdioTarget;
import dev.agentgateway.mcp.StreamableHttpTarget;
import dev.agentgateway.mcp.internal.upstream.SseChannel;
import dev.agentgateway.mcp.internal.upstream.StdioChannel;
import dev.agentgateway.mcp.internal.upstream.StreamableHttpChannel;
import dev.agentgateway.mcp.internal.upstream.UpstreamChannel;
import dev.agentgateway.mcp.internal.upstream.inprocess.InProcessServer;
import org.eclipse.jetty.client.HttpClient;

/** What every part of one bound MCP backend shares: its settings and the gateway's resources. */
public final class McpContext {
    private final McpSettings settings;
    private final GatewayContext gateway;
    private final Json json = new Json();
    private final Naming naming;
    private final SealedTokens tokens;
    private final McpMetrics metrics;
    private final Map<String, McpTarget> targets = new LinkedHashMap<>();
    private final Map<String, InProcessServer> inProcess = new LinkedHashMap<>();
    private final HttpClient httpClient;
    private final HttpClient streamClient;

    public McpContext(McpSettings settings, GatewayContext gateway, McpMetrics metrics) {
        this.settings = settings;
        this.gateway = gateway;
        this.metrics = metrics;
        for (McpTarget target : settings.targets()) {
            targets.put(target.name(), target);
            if (target instanceof InProcessTarget local) {
                inProcess.put(local.name(), new InProcessServer(local, json));
            }
        }
        this.naming = new Naming(List.copyOf(targets.keySet()), settings.prefixMode());
        this.tokens = new SealedTokens(settings.sessionKey());
        boolean http = settings.targets().stream().anyMatch(t -> t instanceof StreamableHttpTarget || t instanceof SseTarget);
        // Own pools: MCP sessions hold long GET streams, which get a pool of their own so that they can
        // never take the connections requests need.
        this.httpClient = http ? gateway.newHttpClient(UpstreamOptions.DEFAULTS) : null;
        this.streamClient = http ? gateway.newHttpClient(UpstreamOptions.DEFAULTS
                .withMaxConnectionsPerDestination(100_000).withMaxRequestsQueuedPerDestination(100_000)) : null;
    }

    public McpSettings settings() {
        return settings;
    }

    public Json json() {
        return json;
    }

    public Naming naming() {
        return naming;
    }

    public SealedTokens tokens() {
        return tokens;
    }

    public McpMetrics metrics() {
        return metrics;
    }

    public Executor executor() {
        return gateway.executor();
    }

    public ScheduledExecutorService scheduler() {
        return gateway.scheduler();
    }

    /** The targets by name, in declaration order. */
    public Map<String, McpTarget> targets() {
        return targets;
    }

    /** A new transport to {@code target} for one upstream session. */
    public UpstreamChannel channel(McpTarget target) {
        return switch (target) {
            case StdioTarget stdio -> new StdioChannel(stdio, settings.maxMessageSize(), json);
            case StreamableHttpTarget http -> new StreamableHttpChannel(http, httpClient, streamClient, json, settings.maxMessageSize());
            case SseTarget sse -> new SseChannel(sse, httpClient, streamClient, json, settings.maxMessageSize());
            case InProcessTarget local -> inProcess.get(local.name()).newChannel();
        };
    }

    /** Stops in-process servers. */
    public void close() {
        for (InProcessServer server : inProcess.values()) {
            server.close();
        }
    }
}
