package dev.agentgateway.mcp.internal.upstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.core.sse.SseParser;

/** Reading upstream HTTP bodies within the message size limit. */
final class HttpMessages {
    private HttpMessages() {
    }

    /** Reads the whole body, failing when it exceeds {@code limit} bytes. */
    static byte[] readAll(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (out.size() + n > limit) {
                throw new IOException("upstream message larger than " + limit + " bytes");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Reads an event stream to its end, handing over each event as soon as it is complete. */
    static void readEvents(InputStream in, long maxEventSize, Consumer<SseEvent> events) throws IOException {
        SseParser parser = new SseParser(events, comment -> { }, maxEventSize);
        byte[] buffer = new byte[8192];
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
