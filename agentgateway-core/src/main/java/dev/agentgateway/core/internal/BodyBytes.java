package dev.agentgateway.core.internal;

import java.io.IOException;
import java.io.InputStream;

import org.eclipse.jetty.io.Content;

/**
 * Reads a whole request body into one array, blocking. Jetty's {@code Content.Source.asByteBuffer}
 * aggregates into buffers it does not pool and then needs a copy into an array: about twice the body
 * in garbage per request. A body with a declared length is read straight into an array of that size;
 * a chunked one grows as it arrives.
 */
final class BodyBytes {
    private BodyBytes() {
    }

    static byte[] read(Content.Source source) throws IOException {
        long length = source.getLength();
        try (InputStream in = Content.Source.asInputStream(source)) {
            if (length < 0 || length > Integer.MAX_VALUE - 8) {
                return in.readAllBytes();
            }
            byte[] body = new byte[(int) length];
            int read = in.readNBytes(body, 0, body.length);
            if (read < body.length) {
                throw new IOException("the request body ended after " + read + " of its " + length + " bytes");
            }
            return body;
        }
    }
}
