package dev.agentgateway.mcp.internal.upstream;

import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the messages a target sends in relation to one request go (progress, log messages, the requests
 * it makes of the client). A plain lambda delivers them one by one.
 */
@FunctionalInterface
public interface RelatedMessages extends Consumer<ObjectNode> {

    /**
     * Messages the target sent as one (the requests of one {@code input_required} result): a receiver
     * that can, hands them on in one step, so a reader never sees only some of them (the modern face
     * asks the client for all of a round's requests in one {@code input_required} answer).
     */
    default void acceptTogether(List<ObjectNode> messages) {
        messages.forEach(this);
    }
}
