package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A response on its way to the client: status, headers and a {@link Body}. Backends return one;
 * policies may return their own instead of calling the next link (short-circuit), or change the one
 * they get back before it is sent (decorate). Nothing is sent until the whole chain has returned,
 * so headers stay changeable until then; a streamed body is then relayed without buffering.
 *
 * <pre>{@code
 * Response.json(429, "{\"error\":\"slow down\"}").header("Retry-After", "3");
 * }</pre>
 */
public final class Response {
    private int status;
    private final HttpFields.Mutable headers;
    private Body body;

    private Response(int status, HttpFields.Mutable headers, Body body) {
        status(status);
        this.headers = requireNonNull(headers, "headers");
        this.body = requireNonNull(body, "body");
    }

    /** A response with this status, no headers and no body. */
    public static Response of(int status) {
        return new Response(status, HttpFields.build(), Body.empty());
    }

    /** A response with this status, headers and body; the headers are used as given (not copied). */
    public static Response of(int status, HttpFields.Mutable headers, Body body) {
        return new Response(status, headers, body);
    }

    /** A response with a JSON body. */
    public static Response json(int status, String json) {
        Response response = new Response(status, HttpFields.build(), Body.of(json));
        response.headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        return response;
    }

    /**
     * The gateway's own JSON error body, {@code {"error":{"code":"...","message":"...","status":N}}}.
     * Prefer {@link Exchange#errorResponse(GatewayException)} inside a route: it answers in the shape of
     * the route's protocol.
     */
    public static Response error(int status, String code, String message) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        String json = "{\"error\":{\"code\":\"" + new String(encoder.quoteAsString(code)) + "\",\"message\":\""
                + new String(encoder.quoteAsString(message)) + "\",\"status\":" + status + "}}";
        return json(status, json);
    }

    /** A response with a plain-text body. */
    public static Response text(int status, String text) {
        Response response = new Response(status, HttpFields.build(), Body.of(text));
        response.headers.put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
        return response;
    }

    /** The status code. */
    public int status() {
        return status;
    }

    /** Replaces the status code. */
    public Response status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be between 100 and 599: " + status);
        }
        this.status = status;
        return this;
    }

    /** The response headers, mutable until the response is sent. */
    public HttpFields.Mutable headers() {
        return headers;
    }

    /** Sets (replaces) a header. */
    public Response header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The body. */
    public Body body() {
        return body;
    }

    /** Replaces the body, for example with a wrapper that observes or transforms it. */
    public Response body(Body body) {
        this.body = requireNonNull(body, "body");
        return this;
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + body.getClass().getSimpleName() + "]";
    }
}
