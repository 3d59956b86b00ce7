package dev.agentgateway.core.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import dev.agentgateway.core.Tls;

/**
 * Turns a {@link Tls} configuration into the key store (every identity) and trust store (the CA bundle)
 * Jetty serves from. Files are read once into a {@link Snapshot} and parsed from there, so the content
 * that was fingerprinted is exactly the content that was loaded, even while a file is being replaced.
 */
public final class TlsStores {
    /** The password of the in-memory stores: they never leave the process, but the JDK API needs one. */
    public static final String PASSWORD = "in-memory";

    private TlsStores() {
    }

    /** The bytes of every file of a configuration, in {@link Tls#files()} order, and their digest. */
    public record Snapshot(List<byte[]> contents, String fingerprint) {
    }

    /** What Jetty serves: every identity under its own alias, and the CA certificates ({@code null} without mTLS). */
    public record Stores(KeyStore keyStore, KeyStore trustStore) {
    }

    public static Snapshot read(Tls tls) throws IOException {
        return read(tls.files());
    }

    /** The bytes of {@code files}, in order, and their digest. */
    public static Snapshot read(List<Path> files) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        MessageDigest digest = sha256();
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            contents.add(bytes);
            digest.update(file.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(longBytes(bytes.length));
            digest.update(bytes);
        }
        return new Snapshot(List.copyOf(contents), HexFormat.of().formatHex(digest.digest()));
    }

    public static Stores load(Tls tls, Snapshot snapshot) throws GeneralSecurityException, IOException {
        KeyStore keys = emptyStore();
        int file = 0;
        int index = 0;
        for (Tls.Identity identity : tls.identities()) {
            switch (identity) {
                case Tls.KeyStoreFile store -> copyKeyEntries(store, snapshot.contents().get(file++), keys, index);
                case Tls.PemFiles pem -> addPem(keys, "identity-" + index, pem.certificateChain(), snapshot.contents().get(file++),
                        pem.privateKey(), snapshot.contents().get(file++));
            }
            index++;
        }
        KeyStore trust = tls.caBundle() == null ? null : trustStore(tls.caBundle(), snapshot.contents().get(file));
        return new Stores(keys, trust);
    }

    /** A key store holding one identity from PEM files, for a client certificate towards upstreams. */
    public static KeyStore identityStore(Path chain, Path key) throws GeneralSecurityException, IOException {
        return identityStore(chain, Files.readAllBytes(chain), key, Files.readAllBytes(key));
    }

    static KeyStore identityStore(Path chain, byte[] chainBytes, Path key, byte[] keyBytes) throws GeneralSecurityException, IOException {
        KeyStore keys = emptyStore();
        addPem(keys, "identity", chain, chainBytes, key, keyBytes);
        return keys;
    }

    /** A trust store holding every certificate of a PEM CA bundle. */
    public static KeyStore trustStore(Path caBundle) throws GeneralSecurityException, IOException {
        return trustStore(caBundle, Files.readAllBytes(caBundle));
    }

    static KeyStore trustStore(Path caBundle, byte[] bytes) throws GeneralSecurityException, IOException {
        KeyStore trust = emptyStore();
        int n = 0;
        for (X509Certificate ca : Pem.certificates(bytes, caBundle)) {
            trust.setCertificateEntry("ca-" + n++, ca);
        }
        return trust;
    }

    private static void addPem(KeyStore keys, String alias, Path chainPath, byte[] chainBytes, Path keyPath, byte[] keyBytes)
            throws GeneralSecurityException {
        List<X509Certificate> chain = Pem.certificates(chainBytes, chainPath);
        PrivateKey key = Pem.privateKey(keyBytes, keyPath);
        requireMatch(key, chain.getFirst(), chainPath + " and " + keyPath);
        keys.setKeyEntry(alias, key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
    }

    private static void copyKeyEntries(Tls.KeyStoreFile file, byte[] bytes, KeyStore into, int index)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(file.type());
        char[] password = file.password().toCharArray();
        store.load(new ByteArrayInputStream(bytes), password);
        int copied = 0;
        for (String alias : Collections.list(store.aliases())) {
            if (!store.isKeyEntry(alias)) {
                continue;
            }
            Key key = store.getKey(alias, password);
            Certificate[] chain = store.getCertificateChain(alias);
            if (key instanceof PrivateKey && chain != null && chain.length > 0) {
                into.setKeyEntry("identity-" + index + "-" + alias, key, PASSWORD.toCharArray(), chain);
                copied++;
            }
        }
        if (copied == 0) {
            throw new GeneralSecurityException(file.path() + " holds no private key with a certificate chain");
        }
    }

    /**
     * A key that does not belong to its certificate would fail only at the first handshake; signing and
     * verifying a random challenge finds it while loading, so a half-replaced pair is never served.
     */
    private static void requireMatch(PrivateKey key, X509Certificate leaf, String where) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(challenge);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // a key of another type than the certificate's: reported below
        }
        throw new GeneralSecurityException(where + ": the private key does not belong to the first certificate");
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] longBytes(long value) {
        byte[] bytes = new byte[8];
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) value;
            value >>= 8;
        }
        return bytes;
    }
}
