package dev.agentgateway.test;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A certificate authority for tests, made with the JDK's {@code keytool} (no {@code openssl} needed):
 * it issues server and client certificates with the subject alternative names a test asks for and writes
 * everything as PEM files, the form {@code Tls.pem(...)} and {@code UpstreamTls} read. Keys are EC P-256;
 * certificates are valid for two days from now.
 *
 * <pre>{@code
 * @TempDir static Path dir;
 *
 * TestPki pki = TestPki.create(dir, "test-ca");
 * TestPki.Identity server = pki.issue("upstream", "dns:localhost,ip:127.0.0.1");
 * FakeUpstream upstream = FakeUpstream.builder().handler("/", Fakes.echo()).tls(server).build();
 * HttpBackend.builder().endpoint(upstream.url())
 *         .tls(UpstreamTls.builder().caBundle(pki.caBundle()).build())
 *         .build();
 * }</pre>
 */
public final class TestPki {
    /** The password of the PKCS12 stores kept next to the PEM files (the CA's, and {@link Identity#keyStore()}). */
    public static final String PASSWORD = "changeit";

    private final Path dir;
    private final Path caKeyStore;
    private final X509Certificate caCertificate;
    private final Path caBundle;

    private TestPki(Path dir, Path caKeyStore, X509Certificate caCertificate, Path caBundle) {
        this.dir = dir;
        this.caKeyStore = caKeyStore;
        this.caCertificate = caCertificate;
        this.caBundle = caBundle;
    }

    /**
     * A new CA whose subject is {@code CN=name}, its files in {@code dir} (a test's temporary directory):
     * {@code name-ca.pem} and its key store. Several CAs may share a directory if their names differ.
     */
    public static TestPki create(Path dir, String name) {
        requireNonNull(dir, "dir");
        requireNonNull(name, "name");
        Path store = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        try {
            X509Certificate certificate = (X509Certificate) load(store).getCertificate("ca");
            Path bundle = dir.resolve(name + "-ca.pem");
            Files.writeString(bundle, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            return new TestPki(dir, store, certificate, bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test CA " + name + ": " + e.getMessage(), e);
        }
    }

    /** The CA's certificate as a PEM file: the bundle a peer trusts to accept what this CA issued. */
    public Path caBundle() {
        return caBundle;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /**
     * A certificate for {@code CN=name} signed by this CA, with the subject alternative names in keytool's
     * form, such as {@code dns:localhost,ip:127.0.0.1} for a server on loopback or
     * {@code uri:spiffe://example.org/gateway} for a client.
     */
    public Identity issue(String name, String subjectAlternativeNames) {
        requireNonNull(name, "name");
        requireNonNull(subjectAlternativeNames, "subjectAlternativeNames");
        Path request = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + "-signed.crt");
        Path store = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", "leaf", "-keystore", store.toString(), "-storepass", PASSWORD, "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", caKeyStore.toString(), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", signed.toString(), "-validity", "2", "-ext", "SAN=" + subjectAlternativeNames);
        try {
            X509Certificate certificate;
            try (InputStream in = Files.newInputStream(signed)) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore keys = load(store);
            PrivateKey key = (PrivateKey) keys.getKey("leaf", PASSWORD.toCharArray());
            List<X509Certificate> chain = List.of(certificate, caCertificate);
            // Replace the self-signed entry keytool generated by the signed chain, so the store serves it.
            keys.setKeyEntry("leaf", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            keys.store(bytes, PASSWORD.toCharArray());
            Files.write(store, bytes.toByteArray());
            Path chainFile = dir.resolve(name + ".crt");
            Files.writeString(chainFile, pem("CERTIFICATE", certificate.getEncoded()) + pem("CERTIFICATE", caCertificate.getEncoded()),
                    StandardCharsets.US_ASCII);
            Path keyFile = dir.resolve(name + ".key");
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
            return new Identity(name, chainFile, keyFile, store, chain, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test certificate " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * A certificate and its key, as files and as objects.
     *
     * @param name the subject's common name
     * @param certificateChain PEM file: the certificate, then the CA's
     * @param privateKey PEM file: the PKCS#8 private key
     * @param keyStore PKCS12 file with both (alias {@code leaf}, password {@link #PASSWORD})
     * @param chain the certificate, then the CA's
     * @param key the private key
     */
    public record Identity(String name, Path certificateChain, Path privateKey, Path keyStore, List<X509Certificate> chain,
                           PrivateKey key) {
        public Identity {
            chain = List.copyOf(chain);
        }

        /** The certificate itself (the first of {@link #chain()}). */
        public X509Certificate certificate() {
            return chain.getFirst();
        }
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + List.of(arguments) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("keytool did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while keytool ran", e);
        }
    }

    private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }
}
