package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The gateway's TLS identity, from a key store (PKCS12 or JKS) holding its certificate chain and key.
 * With TLS the gateway offers HTTP/2 and HTTP/1.1 through ALPN.
 *
 * <pre>{@code
 * Gateway.builder().port(8443).tls(Tls.keyStore(Path.of("gateway.p12"), "changeit"))
 * }</pre>
 *
 * @param keyStore the key store file
 * @param password the key store (and key) password
 * @param type {@code "PKCS12"} or {@code "JKS"}
 */
public record Tls(Path keyStore, String password, String type) {

    public Tls {
        requireNonNull(keyStore, "keyStore");
        requireNonNull(password, "password");
        requireNonNull(type, "type");
        if (!Files.isReadable(keyStore)) {
            throw new IllegalArgumentException("TLS key store is not a readable file: " + keyStore);
        }
    }

    /** A PKCS12 key store. */
    public static Tls keyStore(Path keyStore, String password) {
        return new Tls(keyStore, password, "PKCS12");
    }
}
