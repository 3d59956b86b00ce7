package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.io.Content;

/**
 * The body of a {@link Response}: nothing, bytes in memory, a stream relayed from an upstream, or a
 * writer that produces the body while the response is being sent (server-sent events, translated
 * streams). Streams and writers are never buffered: every write reaches the client when it is made.
 *
 * <pre>{@code
 * Body.of("{\"ok\":true}");
 * Body.writer(sink -> {
 *     for (String event : events) {
 *         sink.write("data: " + event + "\n\n");   // sent to the client at once
 *     }
 * });
 * }</pre>
 */
public sealed interface Body {

    /** No body. */
    static Body empty() {
        return Empty.INSTANCE;
    }

    /** A body held in memory. */
    static Body of(byte[] bytes) {
        return new Bytes(ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer());
    }

    /** A UTF-8 text body. */
    static Body of(String text) {
        return new Bytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer());
    }

    /** A body relayed chunk by chunk from a Jetty content source (for example an upstream response). */
    static Body stream(Content.Source source) {
        return new Stream(source);
    }

    /** A body produced by {@code writer} on the request's (virtual) thread while the response is sent. */
    static Body writer(Writer writer) {
        return new Writing(writer);
    }

    /** The length in bytes when known in advance, else {@code -1}. */
    long length();

    /** The empty body. */
    enum Empty implements Body {
        INSTANCE;

        @Override
        public long length() {
            return 0;
        }
    }

    /** A body in memory; the buffer is read-only. */
    record Bytes(ByteBuffer buffer) implements Body {
        public Bytes {
            requireNonNull(buffer, "buffer");
        }

        @Override
        public long length() {
            return buffer.remaining();
        }

        /** The body as a UTF-8 string. */
        public String text() {
            return StandardCharsets.UTF_8.decode(buffer.duplicate()).toString();
        }
    }

    /** A streamed body; the gateway reads it to the end or fails it if the client goes away. */
    record Stream(Content.Source source) implements Body {
        public Stream {
            requireNonNull(source, "source");
        }

        @Override
        public long length() {
            return source.getLength();
        }
    }

    /** A body produced by a {@link Writer}. */
    record Writing(Writer writer) implements Body {
        public Writing {
            requireNonNull(writer, "writer");
        }

        @Override
        public long length() {
            return -1;
        }
    }

    /** Produces a body by writing to a {@link Sink}; runs on the request's virtual thread. */
    @FunctionalInterface
    interface Writer {
        /**
         * Writes the whole body and returns. Throwing after the first write aborts the response (the
         * client sees a truncated stream); throwing before it produces an error response.
         */
        void writeTo(Sink sink) throws Exception;
    }

    /**
     * Where a {@link Writer} writes. Each call sends its bytes to the client before it returns
     * (blocking the calling virtual thread); an {@link IOException} means the client has gone away.
     */
    interface Sink {
        /** Sends these bytes to the client now. */
        void write(ByteBuffer bytes) throws IOException;

        /** Sends this text, UTF-8 encoded, to the client now. */
        default void write(String text) throws IOException {
            write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
        }

        /** Whether the client is still there as far as the gateway knows. */
        boolean isOpen();
    }
}
