package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * A backend that answers every request with the same status, headers and body: health endpoints,
 * maintenance pages, redirects, mocks in tests.
 *
 * <pre>{@code
 * Route.builder("health").path("/healthz").backend(DirectResponse.of(200, "ok"))
 * DirectResponse.builder().status(301).header("Location", "https://example.com/").build()
 * }</pre>
 */
public final class DirectResponse implements Backend {
    private final int status;
    private final List<String[]> headers;
    private final byte[] body;

    private DirectResponse(Builder builder) {
        this.status = builder.status;
        this.headers = List.copyOf(builder.headers);
        this.body = builder.body;
    }

    /** Answers with {@code status} and a plain-text {@code body}. */
    public static DirectResponse of(int status, String body) {
        return builder().status(status).body(body).header("Content-Type", "text/plain;charset=utf-8").build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Exchange exchange) {
        HttpFields.Mutable fields = HttpFields.build();
        for (String[] header : headers) {
            fields.add(header[0], header[1]);
        }
        if (body.length > 0 && !fields.contains(HttpHeader.CONTENT_TYPE)) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        }
        boolean head = "HEAD".equals(exchange.method());
        Response response = Response.of(status, fields, head || body.length == 0 ? Body.empty() : Body.of(body));
        if (head && body.length > 0) {
            fields.put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length));
        }
        return response;
    }

    @Override
    public String name() {
        return "direct";
    }

    /** Builds a {@link DirectResponse}. */
    public static final class Builder {
        private int status = 200;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];

        private Builder() {
        }

        public Builder status(int status) {
            if (status < 200 || status > 599) {
                throw new IllegalArgumentException("status must be between 200 and 599: " + status);
            }
            this.status = status;
            return this;
        }

        public Builder header(String name, String value) {
            requireNonNull(name, "name");
            requireNonNull(value, "value");
            headers.add(new String[] {name, value});
            return this;
        }

        public Builder body(String body) {
            this.body = requireNonNull(body, "body").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        public Builder body(byte[] body) {
            this.body = requireNonNull(body, "body").clone();
            return this;
        }

        public DirectResponse build() {
            return new DirectResponse(this);
        }
    }
}
