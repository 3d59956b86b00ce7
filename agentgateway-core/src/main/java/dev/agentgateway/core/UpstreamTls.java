package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SNIHostName;

import dev.agentgateway.core.internal.tls.TlsStores;

/**
 * TLS towards {@code https} upstreams, from PEM files: the CAs to trust instead of the JVM's, a client
 * certificate for upstreams that require mTLS, and the server name to send (SNI) and verify the
 * certificate against when the endpoint is an address or an internal alias. Files are read when the
 * gateway starts and checked again every {@linkplain Builder#reloadInterval(Duration) ten seconds}:
 * new connections get replaced files (a rotated client certificate, a CA bundle with the next CA),
 * connections already open keep theirs, and new content that does not load keeps the files in use
 * (logged, and counted in {@code agentgateway.tls.upstream.reloads{outcome=rejected}}).
 *
 * <pre>{@code
 * HttpBackend.builder().endpoint("https://10.0.0.7:8443")
 *     .tls(UpstreamTls.builder()
 *         .caBundle(Path.of("/etc/tls/internal-ca.pem"))
 *         .clientCertificate(Path.of("/etc/tls/gateway.crt"), Path.of("/etc/tls/gateway.key"))
 *         .serverName("tools.internal")                 // SNI, and the name the certificate must carry
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>{@link Builder#trustAllCertificatesInsecure()} turns verification off for development against
 * self-signed upstreams; the gateway logs a warning for every client it creates that way.
 */
public final class UpstreamTls {
    private final Path caBundle;
    private final Path clientCertificateChain;
    private final Path clientPrivateKey;
    private final String serverName;
    private final boolean trustAllCertificatesInsecure;
    private final Duration reloadInterval;

    private UpstreamTls(Builder builder) {
        this.caBundle = builder.caBundle;
        this.clientCertificateChain = builder.clientCertificateChain;
        this.clientPrivateKey = builder.clientPrivateKey;
        this.serverName = builder.serverName;
        this.trustAllCertificatesInsecure = builder.trustAllCertificatesInsecure;
        this.reloadInterval = builder.reloadInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The PEM file of CAs upstream certificates are verified against, or {@code null} for the JVM's. */
    public Path caBundle() {
        return caBundle;
    }

    /** The PEM certificate chain presented to upstreams, or {@code null} for none. */
    public Path clientCertificateChain() {
        return clientCertificateChain;
    }

    /** The PEM private key of {@link #clientCertificateChain()}, or {@code null}. */
    public Path clientPrivateKey() {
        return clientPrivateKey;
    }

    /** The server name sent and verified instead of the endpoint's host, or {@code null}. */
    public String serverName() {
        return serverName;
    }

    /** Whether every certificate is accepted unverified (development only). */
    public boolean trustAllCertificatesInsecure() {
        return trustAllCertificatesInsecure;
    }

    /** How often the files are checked for new content; zero when they are read only at start. */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** Builds an {@link UpstreamTls}; {@link #build()} loads the files once, so mistakes fail there. */
    public static final class Builder {
        private Path caBundle;
        private Path clientCertificateChain;
        private Path clientPrivateKey;
        private String serverName;
        private boolean trustAllCertificatesInsecure;
        private Duration reloadInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Checks the files for new content this often (default 10 s); {@link Duration#ZERO} reads them only at start. */
        public Builder reloadInterval(Duration interval) {
            Checks.notNegative(interval, "reloadInterval");
            this.reloadInterval = interval;
            return this;
        }

        /** Trusts only the CA certificates of this PEM file (one or more) instead of the JVM's. */
        public Builder caBundle(Path caBundle) {
            this.caBundle = Checks.readableFile(caBundle, "caBundle");
            return this;
        }

        /** Presents this certificate chain (leaf first) and key, both PEM, to upstreams that ask for one. */
        public Builder clientCertificate(Path certificateChain, Path privateKey) {
            this.clientCertificateChain = Checks.readableFile(certificateChain, "certificateChain");
            this.clientPrivateKey = Checks.readableFile(privateKey, "privateKey");
            return this;
        }

        /** Sends this name through SNI and verifies the upstream certificate against it, not the endpoint's host. */
        public Builder serverName(String serverName) {
            requireNonNull(serverName, "serverName");
            try {
                new SNIHostName(serverName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("serverName is not a host name: " + serverName, e);
            }
            this.serverName = serverName;
            return this;
        }

        /**
         * Accepts any upstream certificate, expired, self-signed or for another host, without verifying
         * it: anyone on the path can then read and change the traffic. For development only.
         */
        public Builder trustAllCertificatesInsecure() {
            this.trustAllCertificatesInsecure = true;
            return this;
        }

        public UpstreamTls build() {
            if (trustAllCertificatesInsecure && caBundle != null) {
                throw new IllegalStateException("upstream TLS: caBundle and trustAllCertificatesInsecure() exclude each other");
            }
            try {
                if (caBundle != null) {
                    TlsStores.trustStore(caBundle);
                }
                if (clientCertificateChain != null) {
                    TlsStores.identityStore(clientCertificateChain, clientPrivateKey);
                }
            } catch (Exception e) {
                throw new IllegalArgumentException("upstream TLS files do not load: " + e.getMessage(), e);
            }
            return new UpstreamTls(this);
        }
    }
}
