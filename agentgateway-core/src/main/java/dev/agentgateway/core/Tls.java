package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agentgateway.core.internal.tls.TlsStores;

/**
 * The gateway listener's TLS: its identities (certificate chains and keys, from PEM files or key
 * stores), optional client certificate verification (mTLS) and hot reload of those files. With TLS the
 * gateway offers HTTP/2 and HTTP/1.1 through ALPN, speaks TLS 1.3 and 1.2 only, and offers only AEAD
 * cipher suites with forward secrecy.
 *
 * <pre>{@code
 * Gateway.builder().port(8443).tls(Tls.keyStore(Path.of("gateway.p12"), "changeit"))
 *
 * Gateway.builder().port(8443).tls(Tls.builder()
 *         .pem(Path.of("/etc/tls/api/tls.crt"), Path.of("/etc/tls/api/tls.key"))     // api.example.com
 *         .pem(Path.of("/etc/tls/admin/tls.crt"), Path.of("/etc/tls/admin/tls.key")) // admin.example.com
 *         .clientAuth(Tls.ClientAuth.REQUIRE, Path.of("/etc/tls/clients-ca.pem"))
 *         .build())
 *     .policy(ClientCertificateAuth.required())   // the verified certificate becomes the Principal
 * }</pre>
 *
 * <p><b>Several identities</b> are chosen by the host name the client sends through SNI (matched
 * against each certificate's DNS names, wildcards included); a client that sends no name, or a name no
 * certificate covers, gets the first identity whose key type it supports.
 *
 * <p><b>PEM</b>: a certificate file holds the chain, leaf first; a key file holds one unencrypted key
 * as PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}), as cert-manager, Let's Encrypt clients and {@code openssl} write them.
 *
 * <p><b>Reload</b>: every {@linkplain Builder#reloadInterval(Duration) interval} the gateway rereads
 * the files; when their content changed it loads them and new connections get the new certificates
 * (connections already open keep theirs). Files that do not load (half written, a key that does not
 * match its certificate) leave the previous certificates in place; the gateway logs a warning once per
 * such content and counts it in {@code agentgateway.tls.reloads} with {@code outcome=rejected}.
 */
public final class Tls {
    private final List<Identity> identities;
    private final ClientAuth clientAuth;
    private final Path caBundle;
    private final Duration reloadInterval;

    private Tls(Builder builder) {
        this.identities = List.copyOf(builder.identities);
        this.clientAuth = builder.clientAuth;
        this.caBundle = builder.caBundle;
        this.reloadInterval = builder.reloadInterval;
    }

    /** A PKCS12 key store whose password also protects its keys: the usual one-identity listener. */
    public static Tls keyStore(Path keyStore, String password) {
        return builder().keyStore(keyStore, password).build();
    }

    /** One identity from PEM files: the certificate chain (leaf first) and its private key. */
    public static Tls pem(Path certificateChain, Path privateKey) {
        return builder().pem(certificateChain, privateKey).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The identities, in the order added. */
    public List<Identity> identities() {
        return identities;
    }

    /** Whether client certificates are asked for. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The PEM file of CA certificates client certificates are verified against, or {@code null}. */
    public Path caBundle() {
        return caBundle;
    }

    /** How often the files are checked for changes; {@link Duration#ZERO} when reload is off. */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** Every file this configuration reads, in a fixed order. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Identity identity : identities) {
            switch (identity) {
                case KeyStoreFile store -> files.add(store.path());
                case PemFiles pem -> {
                    files.add(pem.certificateChain());
                    files.add(pem.privateKey());
                }
            }
        }
        if (caBundle != null) {
            files.add(caBundle);
        }
        return List.copyOf(files);
    }

    /** Where one certificate chain and its key come from. */
    public sealed interface Identity permits KeyStoreFile, PemFiles {
    }

    /**
     * Every key entry of a key store file.
     *
     * @param path the key store file
     * @param password the store password, which also protects its keys
     * @param type {@code "PKCS12"} or {@code "JKS"}
     */
    public record KeyStoreFile(Path path, String password, String type) implements Identity {
        public KeyStoreFile {
            Checks.readableFile(path, "keyStore");
            requireNonNull(password, "password");
            requireNonNull(type, "type");
        }
    }

    /**
     * A PEM certificate chain and its private key.
     *
     * @param certificateChain the certificates, leaf first
     * @param privateKey the leaf's unencrypted private key
     */
    public record PemFiles(Path certificateChain, Path privateKey) implements Identity {
        public PemFiles {
            Checks.readableFile(certificateChain, "certificateChain");
            Checks.readableFile(privateKey, "privateKey");
        }
    }

    /** Whether the listener asks clients for a certificate during the handshake. */
    public enum ClientAuth {
        /** No client certificates (plain TLS). */
        NONE,
        /**
         * Clients may present a certificate; a client presenting none connects anonymously. The listener
         * names the bundle's CAs in its request, so well-behaved clients (the JDK's, browsers) offer only
         * a certificate of one of them and otherwise stay anonymous; a certificate that is presented and
         * does not verify fails the handshake (as in Envoy by default), it is never ignored.
         */
        REQUEST,
        /** Clients must present a certificate that verifies against the CA bundle, else the handshake fails. */
        REQUIRE
    }

    /** Builds a {@link Tls}; {@link #build()} loads every file once, so mistakes fail there and not at start. */
    public static final class Builder {
        private final List<Identity> identities = new ArrayList<>();
        private ClientAuth clientAuth = ClientAuth.NONE;
        private Path caBundle;
        private Duration reloadInterval = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Adds every key entry of a PKCS12 key store whose password also protects its keys. */
        public Builder keyStore(Path keyStore, String password) {
            return keyStore(keyStore, password, "PKCS12");
        }

        /** Adds every key entry of a key store of this type ({@code "PKCS12"} or {@code "JKS"}). */
        public Builder keyStore(Path keyStore, String password, String type) {
            identities.add(new KeyStoreFile(keyStore, password, type));
            return this;
        }

        /** Adds an identity from a PEM certificate chain (leaf first) and its PEM private key. */
        public Builder pem(Path certificateChain, Path privateKey) {
            identities.add(new PemFiles(certificateChain, privateKey));
            return this;
        }

        /**
         * Asks clients for certificates and verifies them against the CA certificates in {@code caBundle}
         * (a PEM file with one or more certificates). Pair it with {@link ClientCertificateAuth} to turn
         * the verified certificate into the exchange's {@link Principal}.
         */
        public Builder clientAuth(ClientAuth mode, Path caBundle) {
            requireNonNull(mode, "clientAuth");
            if (mode == ClientAuth.NONE) {
                this.clientAuth = ClientAuth.NONE;
                this.caBundle = null;
                return this;
            }
            this.caBundle = Checks.readableFile(caBundle, "caBundle");
            this.clientAuth = mode;
            return this;
        }

        /** How often the files are checked for changes (default 10 s); {@link Duration#ZERO} turns reload off. */
        public Builder reloadInterval(Duration interval) {
            Checks.notNegative(interval, "reloadInterval");
            this.reloadInterval = interval;
            return this;
        }

        /** Loads the files once to check them and returns the configuration. */
        public Tls build() {
            if (identities.isEmpty()) {
                throw new IllegalStateException("TLS needs at least one identity: add pem(...) or keyStore(...)");
            }
            Tls tls = new Tls(this);
            try {
                TlsStores.load(tls, TlsStores.read(tls));
            } catch (Exception e) {
                throw new IllegalArgumentException("TLS configuration does not load: " + e.getMessage(), e);
            }
            return tls;
        }
    }
}
