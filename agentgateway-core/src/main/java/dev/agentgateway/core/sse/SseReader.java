package dev.agentgateway.core.sse;

import java.io.IOException;
import java.util.function.Consumer;

import dev.agentgateway.core.BlockingReads;
import org.eclipse.jetty.io.Content;

/**
 * Reads a {@link Content.Source} (such as an upstream response body) to its end on the calling
 * (virtual) thread, handing each server-sent event to the consumer as soon as it is complete.
 *
 * <pre>{@code
 * SseReader.read(upstreamBody, event -> sink.write(translate(event).format()));
 * }</pre>
 */
public final class SseReader {
    private SseReader() {
    }

    /** Reads until the source ends; a failure of the source is thrown as an {@link IOException}. */
    public static void read(Content.Source source, Consumer<SseEvent> events) throws IOException {
        read(source, new SseParser(events));
    }

    /** Reads until the source ends, feeding {@code parser}. */
    public static void read(Content.Source source, SseParser parser) throws IOException {
        while (true) {
            Content.Chunk chunk = BlockingReads.next(source);
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                throw failure instanceof IOException io ? io : new IOException(failure.toString(), failure);
            }
            try {
                parser.feed(chunk.getByteBuffer().slice());
            } catch (RuntimeException e) {
                source.fail(e);
                throw e;
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return;
            }
        }
    }
}
