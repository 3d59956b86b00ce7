package dev.agentgateway.mcp.internal.upstream;

import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Caller;

/**
 * A request sent to an upstream and not answered yet: the message as sent (with the upstream id), where
 * messages related to it go (progress, logging, sampling requests of a tool call) and the future its
 * response completes.
 */
public final class PendingCall {
    final long id;
    /** The request as last sent: the original, or its MRTR retry carrying the client's answers. */
    volatile ObjectNode request;
    final RelatedMessages related;
    final Caller caller;
    final CompletableFuture<ObjectNode> response = new CompletableFuture<>();
    volatile boolean resent;
    /** The input round of a modern target waiting for the client's answers, or {@code null}. */
    volatile InputRound round;
    /** The ids of this call's MRTR retries (each retry is a new request id). */
    final java.util.List<Long> retryIds = new java.util.concurrent.CopyOnWriteArrayList<>();

    PendingCall(long id, ObjectNode request, RelatedMessages related, Caller caller) {
        this.id = id;
        this.request = request;
        this.related = related;
        this.caller = caller;
    }

    /** The id the gateway gave the request on this upstream. */
    public long id() {
        return id;
    }

    /** The request as sent upstream. */
    public ObjectNode request() {
        return request;
    }

    /** The caller the request is made for, or {@code null} when no client request caused it (the handshake). */
    public Caller caller() {
        return caller;
    }

    /** Completes with the upstream's response (a result or an error, with the upstream id). */
    public CompletableFuture<ObjectNode> response() {
        return response;
    }
}
