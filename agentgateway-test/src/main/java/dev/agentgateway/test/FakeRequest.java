package dev.agentgateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;

/**
 * A request as a {@link FakeUpstream} received it. The body is read on demand: {@link #body()} reads
 * and keeps it; {@link #bodyStream()} streams it (for large bodies).
 */
public final class FakeRequest {
    private final String method;
    private final String path;
    private final String query;
    private final String protocol;
    private final HttpFields headers;
    private final String clientCertificateSubject;
    private final long receivedNanos = System.nanoTime();
    // Jetty's request, kept only while its body may still be read: a recorded request must not hold
    // the server's per-exchange objects once the exchange is over.
    private volatile Request request;
    private volatile byte[] body;
    private volatile long streamedBytes = -1;

    FakeRequest(Request request) {
        this.request = request;
        this.method = request.getMethod();
        this.path = request.getHttpURI().getPath();
        this.query = request.getHttpURI().getQuery();
        this.protocol = request.getConnectionMetaData().getProtocol();
        this.headers = request.getHeaders().asImmutable();
        this.clientCertificateSubject = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls
                && tls.peerCertificates() != null && tls.peerCertificates().length > 0
                ? tls.peerCertificates()[0].getSubjectX500Principal().getName() : null;
    }

    /**
     * The subject of the client certificate the request came with, such as {@code CN=gateway}, or
     * {@code null} without one (or without TLS).
     */
    public String clientCertificateSubject() {
        return clientCertificateSubject;
    }

    public String method() {
        return method;
    }

    /** The raw path, still percent-encoded. */
    public String path() {
        return path;
    }

    /** The raw query string, or {@code null}. */
    public String query() {
        return query;
    }

    /** The HTTP version, such as {@code HTTP/1.1} or {@code HTTP/2.0}. */
    public String protocol() {
        return protocol;
    }

    /** The handler is done: once the body was read or streamed, Jetty's request is no longer needed. */
    void exchangeEnded() {
        if (body != null || streamedBytes >= 0) {
            request = null;
        }
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
            Request source = request;
            if (source == null) {
                throw new IllegalStateException("the body of " + this + " was streamed during the exchange, not kept");
            }
            body = BufferUtil.toArray(Content.Source.asByteBuffer(source));
        }
        return body;
    }

    /** The whole body as UTF-8 text. */
    public String bodyText() throws IOException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The body as a stream; what was read is counted in {@link #streamedBytes()}, not kept. */
    public InputStream bodyStream() {
        Request source = request;
        if (source == null || body != null) { // body != null: read into memory already, whether or not the exchange has ended
            throw new IllegalStateException("the body of " + this + " was already consumed during the exchange");
        }
        streamedBytes = 0;
        InputStream in = Content.Source.asInputStream(source);
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
