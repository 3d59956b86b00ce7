package dev.agentgateway.core.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.agentgateway.core.AttributeKey;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.PathMatch;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Exchange} of a request served by Jetty. */
final class JettyExchange implements Exchange {
    private static final Logger LOG = LoggerFactory.getLogger(JettyExchange.class);

    private final String id;
    private final Request request;
    private final Route route;
    private final Backend backend;
    private final String backendName;
    private final Map<String, String> pathParameters;
    private final GatewayContext gateway;
    private final long startNanos;
    private final long maxRequestBodySize;
    private final HttpFields.Mutable headers;
    private final String originalPath;
    private final String routePrefix;
    private final String pathWithinRoute;
    private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();
    private final List<Consumer<Throwable>> completionListeners = new CopyOnWriteArrayList<>();
    private String path;
    private String query;
    private Map<String, List<String>> queryParameters;
    private Content.Source body;
    private byte[] bodyBytes;

    JettyExchange(String id, Request request, String canonicalPath, Route route, Backend backend,
                  Map<String, String> pathParameters, GatewayContext gateway, long startNanos, long maxRequestBodySize) {
        this.id = id;
        this.request = request;
        this.route = route;
        this.backend = backend;
        this.backendName = backend.name();
        this.pathParameters = Collections.unmodifiableMap(pathParameters);
        this.gateway = gateway;
        this.startNanos = startNanos;
        this.maxRequestBodySize = maxRequestBodySize;
        this.headers = HttpFields.build(request.getHeaders());
        this.originalPath = request.getHttpURI().getPath();
        this.path = originalPath;
        this.query = request.getHttpURI().getQuery();
        if (route.pathMatch() instanceof PathMatch.Prefix prefix && !prefix.prefix().equals("/")) {
            this.routePrefix = prefix.prefix();
            this.pathWithinRoute = originalPath.startsWith(routePrefix)
                    ? originalPath.substring(routePrefix.length())
                    : URIUtil.encodePath(canonicalPath.substring(routePrefix.length()));
        } else {
            this.routePrefix = "";
            this.pathWithinRoute = originalPath;
        }
    }

    @Override
    public Response errorResponse(GatewayException error) {
        try {
            return backend.errorResponse(this, error);
        } catch (RuntimeException e) {
            // A failing protocol shape must not turn a clear 401 into a 500: fall back to the gateway's body.
            LOG.warn("backend '{}' failed to shape a {} error; answering with the gateway's JSON body", backendName,
                    error.status(), e);
            return Response.error(error.status(), error.code(), error.getMessage());
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String scheme() {
        return request.getHttpURI().getScheme();
    }

    @Override
    public String authority() {
        String authority = request.getHttpURI().getAuthority();
        return authority == null ? Request.getServerName(request) + ":" + Request.getServerPort(request) : authority;
    }

    @Override
    public String host() {
        return Request.getServerName(request);
    }

    @Override
    public List<X509Certificate> peerCertificates() {
        // Set by Jetty's SecureRequestCustomizer on requests that arrived over TLS, HTTP/1.1 and HTTP/2 alike.
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls) {
            X509Certificate[] chain = tls.peerCertificates();
            return chain == null ? List.of() : List.of(chain);
        }
        return List.of();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void path(String path) {
        requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/': " + path);
        }
        this.path = path;
    }

    @Override
    public String originalPath() {
        return originalPath;
    }

    @Override
    public String pathWithinRoute() {
        return pathWithinRoute;
    }

    @Override
    public String routePrefix() {
        return routePrefix;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public void query(String query) {
        this.query = query;
        this.queryParameters = null;
    }

    @Override
    public Map<String, List<String>> queryParameters() {
        if (queryParameters == null) {
            Map<String, List<String>> decoded = new LinkedHashMap<>();
            if (query != null && !query.isEmpty()) {
                Fields fields = new Fields(true);
                try {
                    UrlEncoded.decodeUtf8To(query, fields);
                } catch (IllegalArgumentException e) {
                    throw new GatewayException(400, "bad_query", "The query string is not valid: " + e.getMessage());
                }
                for (Fields.Field field : fields) {
                    decoded.put(field.getName(), List.copyOf(field.getValues()));
                }
            }
            queryParameters = Collections.unmodifiableMap(decoded);
        }
        return queryParameters;
    }

    @Override
    public HttpFields.Mutable requestHeaders() {
        return headers;
    }

    @Override
    public String protocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return InetSocketAddress.createUnresolved(Request.getRemoteAddr(request), Request.getRemotePort(request));
    }

    @Override
    public InetSocketAddress localAddress() {
        SocketAddress local = request.getConnectionMetaData().getLocalSocketAddress();
        return local instanceof InetSocketAddress inet ? inet
                : InetSocketAddress.createUnresolved(Request.getLocalAddr(request), Request.getLocalPort(request));
    }

    @Override
    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    /** Whether nothing has asked for the request body: the answer is the gateway's own (a policy refused). */
    boolean requestBodyUntouched() {
        return body == null && bodyBytes == null;
    }

    @Override
    public Content.Source requestBody() {
        if (bodyBytes != null) {
            return new ByteBufferContentSource(ByteBuffer.wrap(bodyBytes));
        }
        if (body == null) {
            body = new LimitedContentSource(request, maxRequestBodySize);
        }
        return body;
    }

    @Override
    public void requestBody(Content.Source body) {
        this.body = requireNonNull(body, "body");
        this.bodyBytes = null;
    }

    @Override
    public byte[] requestBodyBytes() throws IOException {
        if (bodyBytes == null) {
            long declared = requestContentLength();
            if (declared > maxRequestBodySize) {
                throw GatewayException.payloadTooLarge(maxRequestBodySize);
            }
            try {
                bodyBytes = BodyBytes.read(requestBody());
            } catch (IOException e) {
                GatewayException tooLarge = findTooLarge(e);
                if (tooLarge != null) {
                    throw tooLarge;
                }
                throw e;
            }
        }
        return bodyBytes;
    }

    @Override
    public byte[] requestBodyBytes(long limit) throws IOException {
        if (bodyBytes != null || limit >= maxRequestBodySize) {
            byte[] read = requestBodyBytes();
            if (read.length > limit) {
                throw GatewayException.payloadTooLarge(limit);
            }
            return read;
        }
        if (requestContentLength() > limit) {
            throw GatewayException.payloadTooLarge(limit);
        }
        try {
            // the tighter limit wraps whatever source is current: reading stops at limit + 1 bytes
            bodyBytes = BodyBytes.read(new LimitedContentSource(requestBody(), limit));
            return bodyBytes;
        } catch (IOException e) {
            GatewayException tooLarge = findTooLarge(e);
            if (tooLarge != null) {
                throw tooLarge;
            }
            throw e;
        }
    }

    private static GatewayException findTooLarge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GatewayException gatewayException) {
                return gatewayException;
            }
        }
        return null;
    }

    @Override
    public long requestContentLength() {
        if (bodyBytes != null) {
            return bodyBytes.length;
        }
        return body != null && !(body instanceof LimitedContentSource) ? body.getLength() : request.getLength();
    }

    @Override
    public long maxRequestBodySize() {
        return maxRequestBodySize;
    }

    @Override
    public <T> T attribute(AttributeKey<T> key) {
        Object value = attributes.get(requireNonNull(key, "key"));
        return value == null ? null : key.cast(value);
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        requireNonNull(key, "key");
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, key.cast(value));
        }
    }

    @Override
    public void onComplete(Consumer<Throwable> listener) {
        completionListeners.add(requireNonNull(listener, "listener"));
    }

    @Override
    public long startNanos() {
        return startNanos;
    }

    @Override
    public GatewayContext gateway() {
        return gateway;
    }

    Request jettyRequest() {
        return request;
    }

    void complete(Throwable failure) {
        for (Consumer<Throwable> listener : new ArrayList<>(completionListeners)) {
            try {
                listener.accept(failure);
            } catch (RuntimeException e) {
                LOG.warn("completion listener of exchange {} failed", id, e);
            }
        }
    }
}
