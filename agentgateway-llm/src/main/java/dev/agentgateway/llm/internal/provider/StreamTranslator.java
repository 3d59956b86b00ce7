package dev.agentgateway.llm.internal.provider;

import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.llm.internal.aws.EventStreamMessage;

/**
 * The per-stream state machine of an adapter: turns the provider's stream events into OpenAI
 * {@code chat.completion.chunk} objects. Every translator ends its output with exactly one usage chunk
 * ({@code "choices":[]} and {@code "usage"}) when the provider reported usage; the front decides whether
 * the client sees it. An in-stream provider error comes out as an {@code {"error":{...}}} object.
 * One instance serves one stream, on one thread.
 */
public interface StreamTranslator {

    /** Translates one server-sent event. */
    default void onEvent(SseEvent event, Consumer<ObjectNode> out) {
        throw new UnsupportedOperationException("this provider does not stream server-sent events");
    }

    /** Translates one AWS eventstream message. */
    default void onMessage(EventStreamMessage message, Consumer<ObjectNode> out) {
        throw new UnsupportedOperationException("this provider does not stream AWS eventstream messages");
    }

    /** The upstream stream ended; emit what is still owed (the usage chunk). */
    void onEnd(Consumer<ObjectNode> out);
}
