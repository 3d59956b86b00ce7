package dev.agentgateway.llm.internal.aws;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One decoded AWS eventstream message: its headers (strings, numbers, booleans, bytes as
 * {@code byte[]}, timestamps as {@link java.time.Instant}, UUIDs) and payload.
 */
public record EventStreamMessage(Map<String, Object> headers, byte[] payload) {

    public EventStreamMessage {
        headers = Map.copyOf(headers);
    }

    /** A header as text, or {@code null}. */
    public String header(String name) {
        Object value = headers.get(name);
        return value == null ? null : value.toString();
    }

    /** {@code :message-type}: {@code event}, {@code exception} or {@code error}. */
    public String messageType() {
        return header(":message-type");
    }

    /** {@code :event-type} of events, such as {@code contentBlockDelta}. */
    public String eventType() {
        return header(":event-type");
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
