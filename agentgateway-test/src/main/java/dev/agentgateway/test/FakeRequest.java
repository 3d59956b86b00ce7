package dev.agentgateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * A request as a {@link FakeUpstream} received it. The body is read on demand: {@link #body()} reads
 * and keeps it; {@link #bodyStream()} streams it (for large bodies).
 */
public final class FakeRequest {
    private final Request request;
    private final HttpFields headers;
    private final long receivedNanos = System.nanoTime();
    private byte[] body;
    private long streamedBytes = -1;

    FakeRequest(Request request) {
        this.request = request;
        this.headers = request.getHeaders().asImmutable();
    }

    public String method() {
        return request.getMethod();
    }

    /** The raw path, still percent-encoded. */
    public String path() {
        return request.getHttpURI().getPath();
    }

    /** The raw query string, or {@code null}. */
    public String query() {
        return request.getHttpURI().getQuery();
    }

    /** The HTTP version, such as {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public String protocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    public HttpFields headers() {
        return headers;
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** All values of a header. */
    public List<String> headerValues(String name) {
        return headers.getValuesList(name);
    }

    /** The whole body (read now if not read yet). */
    public byte[] body() throws IOException {
        if (body == null) {
            body = BufferUtil.toArray(Content.Source.asByteBuffer(request));
        }
        return body;
    }

    /** The whole body as UTF-8 text. */
    public String bodyText() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The body as a stream; what was read is counted in {@link #streamedBytes()}, not kept. */
    public InputStream bodyStream() {
        streamedBytes = 0;
        InputStream in = Content.Source.asInputStream(request);
        return new java.io.FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    streamedBytes++;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    streamedBytes += n;
                }
                return n;
            }
        };
    }

    /** Bytes read through {@link #bodyStream()}, or {@code -1} if it was not used. */
    public long streamedBytes() {
        return streamedBytes;
    }

    /** When the upstream received the request, from {@link System#nanoTime()}. */
    public long receivedNanos() {
        return receivedNanos;
    }

    @Override
    public String toString() {
        return method() + " " + path() + (query() == null ? "" : "?" + query());
    }
}
