package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;

import dev.agentgateway.core.internal.proxy.HttpProxy;

/**
 * A reverse proxy to one or more HTTP upstreams. Bodies stream both ways without buffering (server-sent
 * events reach the client event by event), hop-by-hop headers are dropped, {@code X-Forwarded-*} and
 * {@code Forwarded} are set, compressed bodies pass untouched.
 *
 * <pre>{@code
 * HttpBackend.of("http://127.0.0.1:8081");
 *
 * HttpBackend.builder()
 *     .endpoint("http://10.0.0.1:8080", 3)        // weight 3
 *     .endpoint("http://10.0.0.2:8080", 1)
 *     .loadBalancing(HttpBackend.LoadBalancing.LEAST_REQUEST)
 *     .connectTimeout(Duration.ofSeconds(2))
 *     .responseHeadersTimeout(Duration.ofSeconds(30))
 *     .maxConnections(2048)
 *     .retries(2)
 *     .passiveHealthCheck(5, Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>Failures: an upstream that refuses the connection gives 502, one that does not answer in time
 * 504, a request body over the route's limit 413. Idempotent requests are retried on another endpoint
 * when a connection cannot be made. An endpoint that fails {@code consecutiveFailures} times in a row
 * (connection failures, timeouts or 5xx answers) is left out for the cool-down; when every endpoint is
 * out, all are tried again rather than failing every request.
 *
 * <p><b>The proxy engine for other backends.</b> A protocol backend that ends by relaying the exchange
 * to an HTTP upstream (as the A2A backend does) binds an {@code HttpBackend} in its own
 * {@link Backend#bind} and hands it the exchange: the request and the answer stream through unbuffered,
 * with the same pooling, timeouts, TLS and errors as a plain route. Close it with the backend.
 *
 * <pre>{@code
 * public Backend bind(GatewayContext gateway) {
 *     Backend upstream = HttpBackend.builder().endpoint("https://agent.internal").retries(0).build().bind(gateway);
 *     return new Backend() {
 *         public Response handle(Exchange exchange) throws Exception {
 *             exchange.requestHeaders().put("X-Checked", "yes");   // inspect or rewrite, then relay
 *             return upstream.handle(exchange);                    // a streaming Response
 *         }
 *         public void close() throws Exception {
 *             upstream.close();
 *         }
 *     };
 * }
 * }</pre>
 */
public final class HttpBackend implements Backend {
    private final String name;
    private final List<Endpoint> endpoints;
    private final LoadBalancing loadBalancing;
    private final UpstreamOptions options;
    private final Duration responseHeadersTimeout;
    private final Duration idleTimeout;
    private final Duration totalTimeout;
    private final int retries;
    private final int consecutiveFailures;
    private final Duration ejectionCooldown;
    private final HostHeader hostHeader;
    private final String hostHeaderValue;
    private final HeaderModifier requestHeaders;
    private final HeaderModifier responseHeaders;
    private final List<Policy> policies;

    private HttpBackend(Builder builder) {
        this.name = builder.name;
        this.endpoints = List.copyOf(builder.endpoints);
        this.loadBalancing = builder.loadBalancing;
        this.options = builder.options;
        this.responseHeadersTimeout = builder.responseHeadersTimeout;
        this.idleTimeout = builder.idleTimeout;
        this.totalTimeout = builder.totalTimeout;
        this.retries = builder.retries;
        this.consecutiveFailures = builder.consecutiveFailures;
        this.ejectionCooldown = builder.ejectionCooldown;
        this.hostHeader = builder.hostHeader;
        this.hostHeaderValue = builder.hostHeaderValue;
        this.requestHeaders = builder.requestHeaders;
        this.responseHeaders = builder.responseHeaders;
        this.policies = List.copyOf(builder.policies);
    }

    /** A proxy to one upstream base URL, with the defaults. */
    public static HttpBackend of(String baseUrl) {
        return builder().endpoint(baseUrl).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Exchange exchange) {
        throw new IllegalStateException("HttpBackend '" + name + "' is a configuration; the gateway serves requests through bind()");
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new HttpProxy(this, gateway);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<Policy> policies() {
        return policies;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    public UpstreamOptions upstreamOptions() {
        return options;
    }

    public Duration responseHeadersTimeout() {
        return responseHeadersTimeout;
    }

    /** Longest silence on an exchange in progress; {@link Duration#ZERO} for none. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Longest time for a whole exchange including the body; {@link Duration#ZERO} for none. */
    public Duration totalTimeout() {
        return totalTimeout;
    }

    public int retries() {
        return retries;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public Duration ejectionCooldown() {
        return ejectionCooldown;
    }

    public HostHeader hostHeader() {
        return hostHeader;
    }

    /** The fixed {@code Host} value when {@link #hostHeader()} is {@link HostHeader#FIXED}. */
    public String hostHeaderValue() {
        return hostHeaderValue;
    }

    /** Request header changes, or {@code null}. */
    public HeaderModifier requestHeaders() {
        return requestHeaders;
    }

    /** Response header changes, or {@code null}. */
    public HeaderModifier responseHeaders() {
        return responseHeaders;
    }

    /** One upstream address with its load-balancing weight; its path, if any, prefixes every request path. */
    public record Endpoint(URI uri, int weight) {
        public Endpoint {
            requireNonNull(uri, "uri");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("endpoint must be an http or https URL: " + uri);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("endpoint has no host: " + uri);
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("endpoint must not have a query or fragment: " + uri);
            }
            if (weight < 1) {
                throw new IllegalArgumentException("endpoint weight must be at least 1: " + weight);
            }
        }

        /** The endpoint's path without a trailing slash ({@code ""} when none). */
        public String basePath() {
            String path = uri.getRawPath();
            if (path == null || path.equals("/")) {
                return "";
            }
            return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        }

        /** {@code host:port} with the scheme's default port filled in. */
        public String authority() {
            int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
            return uri.getHost() + ":" + port;
        }
    }

    /** How requests are spread over endpoints. */
    public enum LoadBalancing {
        /** Smooth weighted round robin. */
        ROUND_ROBIN,
        /** The less busy of two endpoints drawn at random, busyness divided by weight (power of two choices). */
        LEAST_REQUEST
    }

    /** What the upstream receives as {@code Host}. */
    public enum HostHeader {
        /** The endpoint's own authority (virtual-hosted upstreams work); the client's is in {@code X-Forwarded-Host}. */
        ENDPOINT,
        /** The client's {@code Host}, unchanged. */
        PRESERVE,
        /** A fixed value. */
        FIXED
    }

    /** Builds an {@link HttpBackend}; every setter checks its argument at once. */
    public static final class Builder {
        private String name = "http";
        private final List<Endpoint> endpoints = new ArrayList<>();
        private LoadBalancing loadBalancing = LoadBalancing.ROUND_ROBIN;
        private UpstreamOptions options = UpstreamOptions.DEFAULTS;
        private Duration responseHeadersTimeout = Duration.ofSeconds(60);
        private Duration idleTimeout = Duration.ZERO;
        private Duration totalTimeout = Duration.ZERO;
        private int retries = 2;
        private int consecutiveFailures = 5;
        private Duration ejectionCooldown = Duration.ofSeconds(30);
        private HostHeader hostHeader = HostHeader.ENDPOINT;
        private String hostHeaderValue;
        private HeaderModifier requestHeaders;
        private HeaderModifier responseHeaders;
        private final List<Policy> policies = new ArrayList<>();

        private Builder() {
        }

        /** Names the backend in logs and metrics (default {@code "http"}). */
        public Builder name(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("backend name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Adds an endpoint of weight 1. */
        public Builder endpoint(String baseUrl) {
            return endpoint(baseUrl, 1);
        }

        /** Adds an endpoint with a load-balancing weight. */
        public Builder endpoint(String baseUrl, int weight) {
            requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = URI.create(baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("backend '" + name + "': not a URL: " + baseUrl, e);
            }
            return endpoint(new Endpoint(uri, weight));
        }

        public Builder endpoint(Endpoint endpoint) {
            endpoints.add(requireNonNull(endpoint, "endpoint"));
            return this;
        }

        public Builder loadBalancing(LoadBalancing loadBalancing) {
            this.loadBalancing = requireNonNull(loadBalancing, "loadBalancing");
            return this;
        }

        /** Longest wait for a connection to an endpoint (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            options = options.withConnectTimeout(Checks.positive(timeout, "connectTimeout"));
            return this;
        }

        /** Longest wait from sending the request to the upstream's response headers (default 60 s). */
        public Builder responseHeadersTimeout(Duration timeout) {
            this.responseHeadersTimeout = Checks.positive(timeout, "responseHeadersTimeout");
            return this;
        }

        /** Longest silence while an exchange is in progress, body included ({@link Duration#ZERO}, the default, for none). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Checks.notNegative(timeout, "idleTimeout");
            return this;
        }

        /** Longest time for the whole exchange, body included ({@link Duration#ZERO}, the default, for none). */
        public Builder totalTimeout(Duration timeout) {
            this.totalTimeout = Checks.notNegative(timeout, "totalTimeout");
            return this;
        }

        /** Connections per endpoint (default 1024; jetty-client's own default of 64 starves streaming). */
        public Builder maxConnections(int connections) {
            options = options.withMaxConnectionsPerDestination(connections);
            return this;
        }

        /** Requests that may wait for a connection per endpoint before new ones get 503 (default 4096). */
        public Builder maxQueuedRequests(int requests) {
            options = options.withMaxRequestsQueuedPerDestination(requests);
            return this;
        }

        /** The HTTP version spoken upstream (default HTTP/1.1). */
        public Builder protocol(UpstreamOptions.Protocol protocol) {
            options = options.withProtocol(protocol);
            return this;
        }

        /** Trust (and client keys) for {@code https} endpoints; the JVM's defaults otherwise. */
        public Builder sslContext(SSLContext sslContext) {
            options = options.withSslContext(requireNonNull(sslContext, "sslContext"));
            return this;
        }

        /** Trust, client certificate and server name for {@code https} endpoints, from PEM files (see {@link UpstreamTls}). */
        public Builder tls(UpstreamTls tls) {
            options = options.withTls(requireNonNull(tls, "tls"));
            return this;
        }

        /** Further attempts, on other endpoints, for idempotent requests whose connection failed (default 2). */
        public Builder retries(int retries) {
            if (retries < 0 || retries > 10) {
                throw new IllegalArgumentException("retries must be between 0 and 10: " + retries);
            }
            this.retries = retries;
            return this;
        }

        /** Leaves out an endpoint for {@code cooldown} after {@code consecutiveFailures} failures in a row (default 5, 30 s). */
        public Builder passiveHealthCheck(int consecutiveFailures, Duration cooldown) {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("consecutiveFailures must be at least 1: " + consecutiveFailures);
            }
            this.consecutiveFailures = consecutiveFailures;
            this.ejectionCooldown = Checks.positive(cooldown, "cooldown");
            return this;
        }

        /** Sends the client's {@code Host} unchanged instead of the endpoint's. */
        public Builder preserveHost() {
            this.hostHeader = HostHeader.PRESERVE;
            this.hostHeaderValue = null;
            return this;
        }

        /** Sends this fixed {@code Host}. */
        public Builder hostHeader(String host) {
            requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host header must not be blank");
            }
            this.hostHeader = HostHeader.FIXED;
            this.hostHeaderValue = host;
            return this;
        }

        /** Changes request headers sent to this backend. */
        public Builder requestHeaders(HeaderModifier modifier) {
            this.requestHeaders = requireNonNull(modifier, "modifier");
            return this;
        }

        /** Changes response headers from this backend. */
        public Builder responseHeaders(HeaderModifier modifier) {
            this.responseHeaders = requireNonNull(modifier, "modifier");
            return this;
        }

        /** Adds a backend-level policy. */
        public Builder policy(Policy policy) {
            policies.add(requireNonNull(policy, "policy"));
            return this;
        }

        public HttpBackend build() {
            if (endpoints.isEmpty()) {
                throw new IllegalStateException("backend '" + name + "' has no endpoint");
            }
            String scheme = endpoints.get(0).uri().getScheme().toLowerCase(Locale.ROOT);
            for (Endpoint endpoint : endpoints) {
                if (!endpoint.uri().getScheme().equalsIgnoreCase(scheme)) {
                    throw new IllegalStateException("backend '" + name + "' mixes http and https endpoints");
                }
            }
            return new HttpBackend(this);
        }
    }
}
