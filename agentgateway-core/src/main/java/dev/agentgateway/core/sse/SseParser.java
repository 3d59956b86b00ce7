package dev.agentgateway.core.sse;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An incremental parser of a {@code text/event-stream}: feed it bytes as they arrive, in chunks cut
 * anywhere (even inside a UTF-8 sequence or between {@code \r} and {@code \n}); it hands over each event
 * as soon as its terminating blank line is seen. Follows the WHATWG parsing rules: {@code \r\n},
 * {@code \r} and {@code \n} line ends, a leading BOM, comments (lines starting with {@code :}),
 * fields without a colon, one optional space after the colon, multi-line data.
 *
 * <p>Comments are reported through the optional comment listener (proxies relay them as keep-alives).
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {
    private final Consumer<SseEvent> events;
    private final Consumer<String> comments;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final long maxEventSize;
    private boolean afterCarriageReturn;
    private boolean start = true;
    private String id;
    private String event;
    private StringBuilder data;
    private long retry = -1;
    private long eventSize;

    /** A parser that reports events only, with no size limit beyond memory. */
    public SseParser(Consumer<SseEvent> events) {
        this(events, comment -> { }, Long.MAX_VALUE);
    }

    /**
     * @param events receives each complete event
     * @param comments receives each comment line's text (after the colon)
     * @param maxEventSize fail with {@link IllegalStateException} when one event grows beyond this many bytes
     */
    public SseParser(Consumer<SseEvent> events, Consumer<String> comments, long maxEventSize) {
        this.events = requireNonNull(events, "events");
        this.comments = requireNonNull(comments, "comments");
        this.maxEventSize = maxEventSize;
    }

    /** Parses the bytes of {@code buffer} (consuming them). */
    public void feed(ByteBuffer buffer) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (b == '\n') {
                    continue;
                }
            }
            if (b == '\r') {
                afterCarriageReturn = true;
                endLine();
            } else if (b == '\n') {
                endLine();
            } else {
                line.write(b);
                if (++eventSize > maxEventSize) {
                    throw new IllegalStateException("server-sent event larger than " + maxEventSize + " bytes");
                }
            }
        }
    }

    /** Parses a UTF-8 string. */
    public void feed(String text) {
        feed(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether a partly received event is pending (the stream ended mid-event when called at the end). */
    public boolean hasPartialEvent() {
        return line.size() > 0 || data != null || id != null || event != null;
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (start) {
            start = false;
            if (text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
        }
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            comments.accept(text.substring(1));
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value.length());
                } else {
                    data.append('\n');
                }
                data.append(value);
            }
            case "event" -> event = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    id = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
                    try {
                        retry = Long.parseLong(value);
                    } catch (NumberFormatException ignored) {
                        // larger than a long: ignored, as the specification says for invalid values
                    }
                }
            }
            default -> {
                // unknown fields are ignored
            }
        }
    }

    private void dispatch() {
        if (data != null || id != null || event != null || retry >= 0) {
            SseEvent complete = new SseEvent(id, event, data == null ? null : data.toString(), retry);
            id = null;
            event = null;
            data = null;
            retry = -1;
            eventSize = 0;
            events.accept(complete);
        }
        eventSize = 0;
    }
}
