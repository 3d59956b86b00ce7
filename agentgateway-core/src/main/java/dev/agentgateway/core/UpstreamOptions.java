package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

import javax.net.ssl.SSLContext;

/**
 * Connection settings of an HTTP client towards upstreams. The defaults suit a gateway rather than a
 * browser: many connections per upstream (jetty-client's default of 64 starves streaming workloads),
 * no idle timeout (long server-sent-event streams stay up), redirects relayed rather than followed.
 *
 * @param connectTimeout how long to wait for a TCP (and TLS) connection
 * @param idleTimeout close a connection silent for this long; {@link Duration#ZERO} for never
 * @param maxConnectionsPerDestination connections per upstream host and port
 * @param maxRequestsQueuedPerDestination requests waiting for a connection before new ones are refused (503)
 * @param protocol which HTTP version to speak upstream
 * @param sslContext trust and client keys for {@code https} upstreams; {@code null} for the JVM defaults
 * @param tls trust, client certificate and server name for {@code https} upstreams from PEM files, or
 *            {@code null}; set this or {@code sslContext}, not both
 */
public record UpstreamOptions(Duration connectTimeout, Duration idleTimeout, int maxConnectionsPerDestination,
                              int maxRequestsQueuedPerDestination, Protocol protocol, SSLContext sslContext, UpstreamTls tls) {

    /** Connect 5 s, no idle timeout, 1024 connections and 4096 queued requests per destination, HTTP/1.1. */
    public static final UpstreamOptions DEFAULTS =
            new UpstreamOptions(Duration.ofSeconds(5), Duration.ZERO, 1024, 4096, Protocol.HTTP_1_1, null, null);

    public UpstreamOptions {
        Checks.positive(connectTimeout, "connectTimeout");
        requireNonNull(idleTimeout, "idleTimeout");
        requireNonNull(protocol, "protocol");
        if (sslContext != null && tls != null) {
            throw new IllegalArgumentException("set sslContext or tls for upstreams, not both");
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
        if (maxConnectionsPerDestination < 1) {
            throw new IllegalArgumentException("maxConnectionsPerDestination must be at least 1: " + maxConnectionsPerDestination);
        }
        if (maxRequestsQueuedPerDestination < 1) {
            throw new IllegalArgumentException("maxRequestsQueuedPerDestination must be at least 1: " + maxRequestsQueuedPerDestination);
        }
    }

    /** The HTTP version spoken to upstreams. */
    public enum Protocol {
        /** HTTP/1.1 (over TLS for {@code https} upstreams). */
        HTTP_1_1,
        /** HTTP/2 with prior knowledge over cleartext (h2c), as gRPC and some model servers expect. */
        H2C,
        /** HTTP/2 when the upstream offers it through TLS ALPN, else HTTP/1.1; cleartext stays HTTP/1.1. */
        NEGOTIATE
    }

    public UpstreamOptions withConnectTimeout(Duration value) {
        return new UpstreamOptions(value, idleTimeout, maxConnectionsPerDestination, maxRequestsQueuedPerDestination, protocol, sslContext, tls);
    }

    public UpstreamOptions withIdleTimeout(Duration value) {
        return new UpstreamOptions(connectTimeout, value, maxConnectionsPerDestination, maxRequestsQueuedPerDestination, protocol, sslContext, tls);
    }

    public UpstreamOptions withMaxConnectionsPerDestination(int value) {
        return new UpstreamOptions(connectTimeout, idleTimeout, value, maxRequestsQueuedPerDestination, protocol, sslContext, tls);
    }

    public UpstreamOptions withMaxRequestsQueuedPerDestination(int value) {
        return new UpstreamOptions(connectTimeout, idleTimeout, maxConnectionsPerDestination, value, protocol, sslContext, tls);
    }

    public UpstreamOptions withProtocol(Protocol value) {
        return new UpstreamOptions(connectTimeout, idleTimeout, maxConnectionsPerDestination, maxRequestsQueuedPerDestination, value, sslContext, tls);
    }

    public UpstreamOptions withSslContext(SSLContext value) {
        return new UpstreamOptions(connectTimeout, idleTimeout, maxConnectionsPerDestination, maxRequestsQueuedPerDestination, protocol, value, tls);
    }

    public UpstreamOptions withTls(UpstreamTls value) {
        return new UpstreamOptions(connectTimeout, idleTimeout, maxConnectionsPerDestination, maxRequestsQueuedPerDestination, protocol, sslContext, value);
    }
}
