package dev.agentgateway.mcp.internal.upstream;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request sent to an upstream and not answered yet: the message as sent (with the upstream id), where
 * messages related to it go (progress, logging, sampling requests of a tool call) and the future its
 * response completes.
 */
public final class PendingCall {
    final long id;
    final ObjectNode request;
    final Consumer<ObjectNode> related;
    final String authorization;
    final CompletableFuture<ObjectNode> response = new CompletableFuture<>();
    volatile boolean resent;

    PendingCall(long id, ObjectNode request, Consumer<ObjectNode> related, String authorization) {
        this.id = id;
        this.request = request;
        this.related = related;
        this.authorization = authorization;
    }

    /** The id the gateway gave the request on this upstream. */
    public long id() {
        return id;
    }

    /** The request as sent upstream. */
    public ObjectNode request() {
        return request;
    }

    /** The client's {@code Authorization} header, for targets that pass it through; may be {@code null}. */
    public String authorization() {
        return authorization;
    }

    /** Completes with the upstream's response (a result or an error, with the upstream id). */
    public CompletableFuture<ObjectNode> response() {
        return response;
    }
}
