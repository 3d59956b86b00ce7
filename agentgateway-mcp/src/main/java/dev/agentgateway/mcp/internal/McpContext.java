package dev.agentgateway.mcp.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.UpstreamTls;
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
    /** Connection pools by the TLS of the targets using them ({@code null}: the JVM's trust), shared by targets with the same settings. */
    private final Map<UpstreamTls, Clients> clients = new HashMap<>();
    /** Which Streamable HTTP targets answered {@code server/discover} (true) or are legacy (false), once known. */
    private final Map<String, Boolean> eras = new java.util.concurrent.ConcurrentHashMap<>();

    /** One pool for requests and one for the long GET streams, so that streams can never take the connections requests need. */
    private record Clients(HttpClient requests, HttpClient streams) {
    }

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
        for (McpTarget target : settings.targets()) {
            switch (target) {
                case StreamableHttpTarget http -> clients.computeIfAbsent(http.tls(), this::newClients);
                case SseTarget sse -> clients.computeIfAbsent(sse.tls(), this::newClients);
                default -> { }
            }
        }
    }

    private Clients newClients(UpstreamTls tls) {
        UpstreamOptions options = tls == null ? UpstreamOptions.DEFAULTS : UpstreamOptions.DEFAULTS.withTls(tls);
        return new Clients(gateway.newHttpClient(options),
                gateway.newHttpClient(options.withMaxConnectionsPerDestination(100_000).withMaxRequestsQueuedPerDestination(100_000)));
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
            case StreamableHttpTarget http -> {
                Clients pools = clients.get(http.tls());
                yield new StreamableHttpChannel(http, pools.requests(), pools.streams(), json, settings.maxMessageSize(), eras);
            }
            case SseTarget sse -> {
                Clients pools = clients.get(sse.tls());
                yield new SseChannel(sse, pools.requests(), pools.streams(), json, settings.maxMessageSize());
            }
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
