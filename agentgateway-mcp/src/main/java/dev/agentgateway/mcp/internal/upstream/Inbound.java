package dev.agentgateway.mcp.internal.upstream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Caller;

/** What an {@link UpstreamChannel} reports to the session that owns it. */
public interface Inbound {

    /**
     * A message arrived. {@code call} is the request it arrived in relation to (on that request's own
     * response stream), or {@code null} when the transport cannot tell (stdio, legacy SSE, the GET stream).
     */
    void message(ObjectNode message, PendingCall call);

    /** The exchange carrying {@code call} failed before its response arrived. */
    void failed(PendingCall call, Throwable cause);

    /** The upstream no longer knows the session (HTTP 404 on a session id): {@code call} was not processed. */
    void expired(PendingCall call);

    /**
     * The caller that messages no client request caused are sent for (the handshake, the GET stream, the
     * closing DELETE): the session's latest caller.
     */
    Caller caller();

    /** The channel is gone (process exited, event stream dropped for good). */
    void closed(Throwable cause);
}
