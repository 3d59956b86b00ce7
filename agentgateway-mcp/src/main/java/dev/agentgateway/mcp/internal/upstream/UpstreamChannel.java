package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import java.io.IOException;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The transport to one upstream session: a child process, a Streamable HTTP session, a legacy SSE
 * stream or an in-process SDK session. It moves JSON-RPC messages; the MCP lifecycle (initialize,
 * ids, timeouts, recovery) is {@link UpstreamSession}'s.
 */
public interface UpstreamChannel {

    /** Connects (starts the process, opens the event stream, ...); received messages go to {@code inbound}. */
    void open(Inbound inbound) throws IOException;

    /**
     * Sends a request; its response (and related messages, where the transport can tell) come back through
     * the inbound. HTTP transports make the exchange on the calling thread and return when it is over.
     */
    void request(PendingCall call) throws IOException;

    /** Sends a notification or a response. */
    void send(ObjectNode message, Caller caller) throws IOException;

    /**
     * Asks the server whether it speaks the modern era, the client described by {@code initializeParams}
     * ({@code capabilities}, {@code clientInfo}): its {@code server/discover} result when it does (the
     * channel then speaks modern: every request carries that client in {@code _meta}), {@code null} when
     * it is a legacy server to {@code initialize}. Transports without eras answer {@code null}.
     */
    default com.fasterxml.jackson.databind.node.ObjectNode discover(com.fasterxml.jackson.databind.node.ObjectNode initializeParams)
            throws IOException {
        return null;
    }

    /**
     * Drops the verdict that the target is legacy, when the last {@link #discover} took it from what is
     * remembered of the target instead of asking: true when it did, so that asking again may tell more.
     */
    default boolean forgetLegacyVerdict() {
        return false;
    }

    /** The handshake is done with this protocol version (HTTP transports send it as {@code MCP-Protocol-Version}). */
    default void initialized(String protocolVersion) {
    }

    /** The upstream's session id, or {@code null} when the transport has none. */
    default String sessionId() {
        return null;
    }

    /**
     * Adopts an upstream session established earlier (possibly by another gateway), without a handshake.
     * Returns false when the transport cannot (a new one must be initialised).
     */
    default boolean resume(String sessionId, String protocolVersion) {
        return false;
    }

    /** Whether related messages are attributed to their request by the transport itself. */
    boolean attributesRelatedMessages();

    /** Opens the server-to-client stream for messages unrelated to any request, where the transport has one. */
    default void listen() {
    }

    /**
     * The resource URIs a modern target's {@code subscriptions/listen} stream is to watch (the 2026-07-28
     * revision has no {@code resources/subscribe}); an open stream is reopened with them at once.
     */
    default void resourceSubscriptions(java.util.Set<String> uris) {
    }

    /** Ends the upstream session (HTTP DELETE, process stop); idempotent. */
    void close();
}
