package dev.agentgateway.mcp.internal.downstream;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Where messages for a client go: the event stream of one request, the GET stream, or the legacy SSE stream. */
public interface MessageStream {

    /** Sends a message related to the request (a notification or a server request). */
    void send(ObjectNode message);

    /**
     * Sends messages the target sent as one (the requests of one input round), in order. A stream with
     * a reader of its own hands them over in one step, so the reader sees all or none of them.
     */
    default void sendTogether(java.util.List<ObjectNode> messages) {
        messages.forEach(this::send);
    }

    /** Sends the final message (the response) and ends the stream. */
    void finish(ObjectNode response);

    /** Whether the stream has ended (its response was sent); later messages go elsewhere. */
    boolean isFinished();
}
