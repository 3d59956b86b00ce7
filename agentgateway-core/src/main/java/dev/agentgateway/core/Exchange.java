package dev.agentgateway.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/**
 * One request passing through the gateway, as seen by policies and backends. The request line,
 * headers and body may be changed on the way (a policy can rewrite the path or add a header before the
 * backend sees it); typed {@linkplain #attribute(AttributeKey) attributes} carry what one stage learns
 * to the next (the {@link Principal}, the {@link Operation}, protocol facts).
 *
 * <p>An exchange is used by one thread at a time: the virtual thread serving the request.
 */
public interface Exchange {

    /** A unique id for this exchange, for logs and correlation. */
    String id();

    /** The HTTP method. */
    String method();

    /** {@code "http"} or {@code "https"}, as the client connected (or as forwarded, if trusted). */
    String scheme();

    /** The authority the client asked for ({@code host[:port]}). */
    String authority();

    /** The host the client asked for, without port. */
    String host();

    /** The path to send onwards: the client's raw (still percent-encoded) path unless a policy rewrote it. */
    String path();

    /** Rewrites the path sent onwards. */
    void path(String path);

    /** The raw path exactly as the client sent it, never rewritten. */
    String originalPath();

    /**
     * The part of {@link #originalPath()} below the route's path prefix, starting with {@code "/"}, or
     * {@code ""} when the path equals the prefix. For routes that do not match on a prefix: the whole path.
     */
    String pathWithinRoute();

    /** The path prefix the route matched ({@code ""} when the route does not match on a prefix). */
    String routePrefix();

    /** The raw query string without {@code '?'}, or {@code null}. */
    String query();

    /** Replaces the query string sent onwards ({@code null} for none). */
    void query(String query);

    /** Decoded query parameters, in the order they appear. */
    Map<String, List<String>> queryParameters();

    /** The request headers, mutable: what a backend forwards is what is here when it runs. */
    HttpFields.Mutable requestHeaders();

    /** The HTTP version the client speaks, such as {@code "HTTP/1.1"} or {@code "HTTP/2.0"}. */
    String protocol();

    /** The client's address (or the forwarded one, if trusted). */
    InetSocketAddress remoteAddress();

    /**
     * The certificate chain the client presented in the TLS handshake, leaf first, already verified by
     * the listener against its CA bundle ({@link Tls.Builder#clientAuth}); empty over cleartext, without
     * client authentication, or when the client presented none. {@link ClientCertificateAuth} turns it
     * into the {@link Principal}.
     */
    default List<X509Certificate> peerCertificates() {
        return List.of();
    }

    /** The gateway's local address for this connection. */
    InetSocketAddress localAddress();

    /** Segments captured by a path template, by name; empty for other routes. */
    Map<String, String> pathParameters();

    /** The route that matched. */
    Route route();

    /** The name of the backend that serves the route. */
    String backendName();

    /**
     * The request body as a stream, limited to the route's maximum body size (reading past it fails
     * with a 413 {@link GatewayException}). Read it at most once, or call {@link #requestBodyBytes()}.
     */
    Content.Source requestBody();

    /** Replaces the body sent onwards. */
    void requestBody(Content.Source body);

    /**
     * Reads the whole body into memory (within the route's limit) and keeps it, so that it can be read
     * again: later calls return the same bytes and {@link #requestBody()} replays them.
     *
     * @throws GatewayException 413 when the body exceeds the route's limit
     * @throws IOException when the client fails while sending it
     */
    byte[] requestBodyBytes() throws IOException;

    /**
     * {@link #requestBodyBytes()} with a tighter limit than the route's, for a backend whose messages are
     * bounded (an MCP message, say): a body sent without {@code Content-Length} is refused as soon as
     * {@code limit} bytes have arrived, not buffered up to the route's limit first.
     *
     * <pre>{@code
     * byte[] message = exchange.requestBodyBytes(4 * 1024 * 1024); // 413 GatewayException beyond 4 MiB
     * }</pre>
     *
     * @throws GatewayException 413 when the body exceeds {@code limit} or the route's limit
     * @throws IOException when the client fails while sending it
     */
    default byte[] requestBodyBytes(long limit) throws IOException {
        byte[] body = requestBodyBytes();
        if (body.length > limit) {
            throw GatewayException.payloadTooLarge(limit);
        }
        return body;
    }

    /** The length of the request body when the client declared it, else {@code -1}. */
    long requestContentLength();

    /** The largest request body this exchange accepts, in bytes. */
    long maxRequestBodySize();

    /** The value stored under {@code key}, or {@code null}. */
    <T> T attribute(AttributeKey<T> key);

    /** Stores a value under {@code key} (or removes it when {@code value} is {@code null}). */
    <T> void attribute(AttributeKey<T> key, T value);

    /** The authenticated principal, or {@code null} when no authentication policy has run or succeeded. */
    default Principal principal() {
        return attribute(Principal.KEY);
    }

    /**
     * The credential the authentication policy accepted, or {@code null}: what upstream credential
     * strategies exchange or pass through.
     */
    default Credential credential() {
        return attribute(Credential.KEY);
    }

    /**
     * An error answer in the shape of this route's protocol, with {@code error.status()} as status: see
     * {@link Backend#errorResponse(Exchange, GatewayException)}. Policies that short-circuit use it so
     * that an MCP client gets a JSON-RPC error and an OpenAI client an OpenAI error object.
     */
    Response errorResponse(GatewayException error);

    /**
     * Runs {@code listener} once the response has been sent completely (with {@code null}) or has
     * failed (with the cause): for usage accounting and access logs that need the end of a stream.
     */
    void onComplete(Consumer<Throwable> listener);

    /** The time the gateway received the request, from {@link System#nanoTime()}. */
    long startNanos();

    /** The gateway serving this exchange. */
    GatewayContext gateway();
}
