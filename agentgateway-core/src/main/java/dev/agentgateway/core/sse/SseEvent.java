package dev.agentgateway.core.sse;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event (WHATWG HTML, section "Server-sent events").
 *
 * @param id the {@code id} field, or {@code null}
 * @param event the {@code event} field (type), or {@code null} for the default {@code message}
 * @param data the {@code data} lines joined with {@code "\n"}, or {@code null} when the event had none
 * @param retry the {@code retry} field in milliseconds, or {@code -1}
 */
public record SseEvent(String id, String event, String data, long retry) {

    /** An event with only data. */
    public static SseEvent data(String data) {
        return new SseEvent(null, null, data, -1);
    }

    /** An event with a type and data. */
    public static SseEvent of(String event, String data) {
        return new SseEvent(null, event, data, -1);
    }

    /** The event type, {@code "message"} when none was given. */
    public String type() {
        return event == null || event.isEmpty() ? "message" : event;
    }

    /** This event in wire form, ending with the blank line that dispatches it. */
    public String format() {
        StringBuilder out = new StringBuilder(64 + (data == null ? 0 : data.length()));
        if (id != null) {
            out.append("id: ").append(id).append('\n');
        }
        if (event != null) {
            out.append("event: ").append(event).append('\n');
        }
        if (retry >= 0) {
            out.append("retry: ").append(retry).append('\n');
        }
        if (data != null) {
            int start = 0;
            while (true) {
                int newline = data.indexOf('\n', start);
                if (newline < 0) {
                    out.append("data: ").append(data, start, data.length()).append('\n');
                    break;
                }
                out.append("data: ").append(data, start, newline).append('\n');
                start = newline + 1;
            }
        }
        return out.append('\n').toString();
    }

    /** {@link #format()} as UTF-8 bytes. */
    public byte[] bytes() {
        return format().getBytes(StandardCharsets.UTF_8);
    }
}
