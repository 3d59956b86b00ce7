package dev.agentgateway.mcp.internal.downstream;

import static java.util.Objects.requireNonNull;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a client session token carries, so that any gateway holding the key can rebuild the session:
 * the protocol version negotiated with the client, the client's capabilities and info (mirrored to
 * upstreams), and the upstream sessions by target.
 *
 * @param protocolVersion the version negotiated with the client
 * @param clientCapabilities the client's {@code capabilities}
 * @param clientInfo the client's {@code clientInfo}
 * @param upstreams the upstream sessions established at initialize
 * @param logLevel the level the client set with {@code logging/setLevel}, or {@code null}
 * @param owner the fingerprint of the principal that created the session, or {@code null} when anonymous
 */
public record SessionState(String protocolVersion, ObjectNode clientCapabilities, ObjectNode clientInfo,
                           List<Upstream> upstreams, String logLevel, String owner) {

    /** An upstream session: its target, its session id (HTTP) or {@code null}, its protocol version. */
    public record Upstream(String target, String sessionId, String protocolVersion) {
        public Upstream {
            requireNonNull(target, "target");
        }
    }

    public SessionState {
        requireNonNull(protocolVersion, "protocolVersion");
        requireNonNull(clientCapabilities, "clientCapabilities");
        requireNonNull(clientInfo, "clientInfo");
        upstreams = List.copyOf(upstreams);
    }

    /** The upstream session of {@code target}, or {@code null}. */
    public Upstream upstream(String target) {
        for (Upstream upstream : upstreams) {
            if (upstream.target().equals(target)) {
                return upstream;
            }
        }
        return null;
    }

    public SessionState withLogLevel(String level) {
        return new SessionState(protocolVersion, clientCapabilities, clientInfo, upstreams, level, owner);
    }
}
