package dev.agentgateway.mcp.internal.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.core.sse.SseParser;

/** Reading upstream HTTP bodies within the message size limit. */
final class HttpMessages {
    private HttpMessages() {
    }

    /**
     * Reads the whole body, failing when it exceeds {@code limit} bytes. Reads straight into the array it
     * returns, grown as needed: most MCP answers are a few hundred bytes, and this runs once per request.
     */
    static byte[] readAll(InputStream in, long limit) throws IOException {
        byte[] body = new byte[(int) Math.min(1024, limit + 1)];
        int size = 0;
        while (true) {
            if (size == body.length) {
                body = Arrays.copyOf(body, (int) Math.min(Math.max(size * 2L, 1024), Math.min(limit + 1, Integer.MAX_VALUE - 8)));
            }
            int n = in.read(body, size, body.length - size);
            if (n < 0) {
                return size == body.length ? body : Arrays.copyOf(body, size);
            }
            size += n;
            if (size > limit) {
                throw new IOException("upstream message larger than " + limit + " bytes");
            }
        }
    }

    /** Reads an event stream to its end, handing over each event as soon as it is complete. */
    static void readEvents(InputStream in, long maxEventSize, Consumer<SseEvent> events) throws IOException {
        SseParser parser = new SseParser(events, comment -> { }, maxEventSize);
        byte[] buffer = new byte[2048]; // one per upstream answer streamed as SSE: most carry one small event
        int n;
        while ((n = in.read(buffer)) >= 0) {
            try {
                parser.feed(ByteBuffer.wrap(buffer, 0, n));
            } catch (IllegalStateException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /** Whether a {@code Content-Type} value names this media type (ignoring parameters and case). */
    static boolean isMediaType(String contentType, String mediaType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.equalsIgnoreCase(mediaType);
    }
}
