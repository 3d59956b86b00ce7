package dev.agentgateway.benchmarks.jmh;

import dev.agentgateway.core.AttributeKey;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;

/**
 * Just enough of an exchange for a policy (an authenticator, a rate limit) to read a request's headers and
 * attributes, so a benchmark measures the policy and not an HTTP server. Everything else is refused loudly.
 * Not thread-safe: one per thread.
 */
public final class BenchExchange implements dev.agentgateway.core.Exchange {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 50_000);
    private static final Route ROUTE = Route.builder("mcp").path("/mcp").backend(exchange -> Response.of(204)).build();
    private final HttpFields.Mutable headers;
    private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();

    public BenchExchange(HttpFields.Mutable headers) {
        this.headers = headers;
    }

    @Override public HttpFields.Mutable requestHeaders() { return headers; }
    @Override public String method() { return "POST"; }
    @Override public String scheme() { return "http"; }
    @Override public String authority() { return "127.0.0.1:8080"; }
    @Override public String host() { return "127.0.0.1"; }
    @Override public String path() { return "/mcp"; }
    @Override public String originalPath() { return "/mcp"; }
    @Override public String pathWithinRoute() { return ""; }
    @Override public String routePrefix() { return "/mcp"; }
    @Override public String query() { return null; }
    @Override public Map<String, List<String>> queryParameters() { return Map.of(); }
    @Override public String protocol() { return "HTTP/1.1"; }
    @Override public Map<String, String> pathParameters() { return Map.of(); }
    @Override public long requestContentLength() { return 0; }
    @Override public long maxRequestBodySize() { return 0; }
    @Override public long startNanos() { return 0; }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attribute(AttributeKey<T> key) {
        return (T) attributes.get(key);
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        attributes.put(key, value);
    }

    @Override public String id() { return "bench"; }
    @Override public void path(String path) { throw refused(); }
    @Override public void query(String query) { throw refused(); }
    @Override public InetSocketAddress remoteAddress() { return CLIENT; }
    @Override public InetSocketAddress localAddress() { throw refused(); }
    @Override public Route route() { return ROUTE; }
    @Override public String backendName() { throw refused(); }
    @Override public Content.Source requestBody() { throw refused(); }
    @Override public void requestBody(Content.Source body) { throw refused(); }
    @Override public byte[] requestBodyBytes() { throw refused(); }
    @Override public Response errorResponse(GatewayException error) { throw refused(); }
    @Override public void onComplete(Consumer<Throwable> listener) { throw refused(); }
    @Override public GatewayContext gateway() { throw refused(); }

    private static UnsupportedOperationException refused() {
        return new UnsupportedOperationException("not part of the benchmark's exchange");
    }
}
