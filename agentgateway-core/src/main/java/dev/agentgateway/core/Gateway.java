package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agentgateway.core.internal.GatewayServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;

/**
 * An embedded gateway: routes, policies and backends on a Jetty 12 server whose handlers run on
 * virtual threads.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *         .port(8080)
 *         .route(Route.builder("web").pathPrefix("/").backend(HttpBackend.of("http://127.0.0.1:8081")))
 *         .start()) {
 *     System.out.println("listening on " + gateway.uri());
 *     gateway.awaitClose();
 * }
 * }</pre>
 *
 * <p>Each gateway owns its server, threads, HTTP clients, meters' state and backends; several gateways
 * in one JVM share nothing. {@link #close()} stops accepting requests, lets those in flight finish
 * within the {@linkplain Builder#shutdownGracePeriod(Duration) grace period}, then stops backends
 * (and the child processes they started).
 */
public final class Gateway implements AutoCloseable {
    private final Config config;
    private final GatewayServer server;

    private Gateway(Config config) {
        this.config = config;
        this.server = new GatewayServer(config);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving; returns this gateway.
     *
     * @throws IllegalStateException if the gateway was started before
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public Gateway start() {
        server.start();
        return this;
    }

    /** The base URI clients use, such as {@code http://127.0.0.1:54321/}. */
    public URI uri() {
        return server.uri();
    }

    /** The port bound (the ephemeral one when configured with port 0). */
    public int port() {
        return server.port();
    }

    /** The name given to the builder. */
    public String name() {
        return config.name();
    }

    /** The routes, in the order they were added. */
    public List<Route> routes() {
        return config.routes();
    }

    /** Whether the gateway is serving. */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** Blocks until another thread closes the gateway. */
    public void awaitClose() throws InterruptedException {
        server.join();
    }

    /**
     * Stops accepting requests, waits for those in flight up to the grace period, then stops backends,
     * policies and child processes. Idempotent.
     */
    @Override
    public void close() {
        server.stop();
    }

    /**
     * Everything a gateway was built with; immutable.
     *
     * @param name names the gateway in logs and meters
     * @param host the address to bind
     * @param port the port to bind, 0 for an ephemeral one
     * @param routes the routes in the order added
     * @param policies gateway-level policies in the order added
     * @param meterRegistry where meters go
     * @param observationRegistry where observations go
     * @param shutdownGracePeriod how long {@link #close()} waits for requests in flight
     * @param maxRequestBodySize request body limit unless a route sets its own
     * @param idleTimeout how long a client connection may stay silent
     * @param maxRequestHeaderSize the largest request head accepted (431 beyond)
     * @param virtualThreads whether handlers run on virtual threads
     * @param maxConcurrentRequests requests handled at once; more wait for a slot
     * @param http2 whether cleartext HTTP/2 (h2c) is accepted next to HTTP/1.1
     * @param tls the TLS identity, or {@code null} for cleartext
     * @param trustForwardedHeaders whether {@code X-Forwarded-*}/{@code Forwarded} from clients are believed
     * @param accessLog whether one access-log line is written per request
     */
    public record Config(String name, String host, int port, List<Route> routes, List<Policy> policies,
                         MeterRegistry meterRegistry, ObservationRegistry observationRegistry,
                         Duration shutdownGracePeriod, long maxRequestBodySize, Duration idleTimeout,
                         int maxRequestHeaderSize, boolean virtualThreads, int maxConcurrentRequests,
                         boolean http2, Tls tls, boolean trustForwardedHeaders, boolean accessLog) {
        public Config {
            routes = List.copyOf(routes);
            policies = List.copyOf(policies);
        }
    }

    /** Builds a {@link Gateway}; every setter checks its argument at once, {@link #build()} the whole. */
    public static final class Builder {
        private String name = "agentgateway";
        private String host = "127.0.0.1";
        private int port = 8080;
        private final List<Route> routes = new ArrayList<>();
        private final List<Policy> policies = new ArrayList<>();
        private MeterRegistry meterRegistry = Metrics.globalRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private Duration shutdownGracePeriod = Duration.ofSeconds(10);
        private long maxRequestBodySize = 32L * 1024 * 1024;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private int maxRequestHeaderSize = 16 * 1024;
        private boolean virtualThreads = true;
        private int maxConcurrentRequests = 10_000;
        private boolean http2 = true;
        private Tls tls;
        private boolean trustForwardedHeaders;
        private boolean accessLog = true;

        private Builder() {
        }

        /** Names the gateway in logs and meters (default {@code "agentgateway"}). */
        public Builder name(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("gateway name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** The address to bind (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            this.host = requireNonNull(host, "host");
            return this;
        }

        /** The port (default 8080; 0 for an ephemeral port, as in tests). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Adds a route. */
        public Builder route(Route route) {
            routes.add(requireNonNull(route, "route"));
            return this;
        }

        /** Adds a route, building it. */
        public Builder route(Route.Builder route) {
            return route(requireNonNull(route, "route").build());
        }

        /** Adds routes, in order. */
        public Builder routes(List<Route> routes) {
            requireNonNull(routes, "routes").forEach(this::route);
            return this;
        }

        /** Adds a gateway-level policy; it applies to every route. */
        public Builder policy(Policy policy) {
            policies.add(requireNonNull(policy, "policy"));
            return this;
        }

        /** Where meters go (default {@link Metrics#globalRegistry}). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Where observations go (default {@link ObservationRegistry#NOOP}). */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = requireNonNull(registry, "observationRegistry");
            return this;
        }

        /** How long {@link Gateway#close()} lets requests in flight finish (default 10 s). */
        public Builder shutdownGracePeriod(Duration grace) {
            Checks.notNegative(grace, "shutdownGracePeriod");
            this.shutdownGracePeriod = grace;
            return this;
        }

        /** The largest request body accepted, in bytes, unless a route sets its own (default 32 MiB). */
        public Builder maxRequestBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxRequestBodySize must not be negative: " + bytes);
            }
            this.maxRequestBodySize = bytes;
            return this;
        }

        /** How long a client connection may be silent (default 5 min, so quiet event streams stay up). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Checks.positive(timeout, "idleTimeout");
            return this;
        }

        /** The largest request line plus headers accepted, in bytes (default 16 KiB). */
        public Builder maxRequestHeaderSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxRequestHeaderSize must be at least 1024: " + bytes);
            }
            this.maxRequestHeaderSize = bytes;
            return this;
        }

        /** Whether handlers run on virtual threads (default true) or on a platform thread pool. */
        public Builder virtualThreads(boolean enabled) {
            this.virtualThreads = enabled;
            return this;
        }

        /** Requests handled at once (default 10,000). */
        public Builder maxConcurrentRequests(int requests) {
            if (requests < 1) {
                throw new IllegalArgumentException("maxConcurrentRequests must be at least 1: " + requests);
            }
            this.maxConcurrentRequests = requests;
            return this;
        }

        /** Whether cleartext HTTP/2 with prior knowledge (h2c) is accepted (default true). */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /** Serves HTTPS (HTTP/2 and HTTP/1.1 through ALPN) with this identity. */
        public Builder tls(Tls tls) {
            this.tls = requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Whether to believe {@code X-Forwarded-For/Proto/Host} and {@code Forwarded} sent by clients
         * (default false). Turn on only behind a load balancer that sets them.
         */
        public Builder trustForwardedHeaders(boolean trust) {
            this.trustForwardedHeaders = trust;
            return this;
        }

        /** Whether one access-log line (logger {@code dev.agentgateway.access}) is written per request (default true). */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        /** Checks the configuration as a whole and returns a gateway that is not started yet. */
        public Gateway build() {
            Set<String> names = new HashSet<>();
            for (Route route : routes) {
                if (!names.add(route.name())) {
                    throw new IllegalStateException("two routes are named '" + route.name() + "'; route names must be unique");
                }
            }
            for (int i = 0; i < routes.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (routes.get(i).sameMatchAs(routes.get(j))) {
                        throw new IllegalStateException("route '" + routes.get(i).name() + "' is unreachable: route '"
                                + routes.get(j).name() + "' matches exactly the same requests");
                    }
                }
            }
            return new Gateway(new Config(name, host, port, routes, policies, meterRegistry, observationRegistry,
                    shutdownGracePeriod, maxRequestBodySize, idleTimeout, maxRequestHeaderSize, virtualThreads,
                    maxConcurrentRequests, http2, tls, trustForwardedHeaders, accessLog));
        }

        /** Builds and starts the gateway. */
        public Gateway start() {
            return build().start();
        }
    }
}
