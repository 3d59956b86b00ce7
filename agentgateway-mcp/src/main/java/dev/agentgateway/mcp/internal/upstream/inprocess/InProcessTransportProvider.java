package dev.agentgateway.mcp.internal.upstream.inprocess;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The SDK's server transport SPI, implemented by handing messages to gateway sessions in memory. */
final class InProcessTransportProvider implements McpStreamableServerTransportProvider {
    private final McpJsonMapper mapper;
    private final Map<String, McpStreamableServerSession> sessions = new ConcurrentHashMap<>();
    private volatile McpStreamableServerSession.Factory factory;

    InProcessTransportProvider(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    McpJsonMapper mapper() {
        return mapper;
    }

    boolean hasSessionFactory() {
        return factory != null;
    }

    McpStreamableServerSession.Factory factory() {
        McpStreamableServerSession.Factory current = factory;
        if (current == null) {
            throw new IllegalStateException("no MCP server was built on this in-process transport");
        }
        return current;
    }

    void opened(McpStreamableServerSession session) {
        sessions.put(session.getId(), session);
    }

    void closed(McpStreamableServerSession session) {
        sessions.remove(session.getId(), session);
    }

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory factory) {
        this.factory = factory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values())
                .flatMap(session -> session.sendNotification(method, params).onErrorResume(e -> Mono.empty()))
                .then();
    }

    /** Per-session notifications (resource updates go only to the sessions that subscribed). */
    @Override
    public Mono<Void> notifyClient(String sessionId, String method, Object params) {
        McpStreamableServerSession session = sessions.get(sessionId);
        return session == null ? Mono.empty() : session.sendNotification(method, params);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Flux.fromIterable(sessions.values()).flatMap(McpStreamableServerSession::closeGracefully).then()
                .doFinally(signal -> sessions.clear());
    }

    @Override
    public List<String> protocolVersions() {
        return List.of(ProtocolVersions.MCP_2024_11_05, ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18,
                ProtocolVersions.MCP_2025_11_25);
    }
}
