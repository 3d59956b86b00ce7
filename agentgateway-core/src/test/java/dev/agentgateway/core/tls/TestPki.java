package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import dev.agentgateway.core.internal.tls.Der;

/**
 * Certificates made at test time with the JDK's {@code keytool}: CAs, and leaf certificates they sign
 * with the subject alternative names a test needs; written out as PEM (PKCS#8, PKCS#1 or SEC1 keys) or
 * PKCS12 by the JDK's own encoders, so no {@code openssl} is needed.
 */
public final class TestPki {
    public static final String PASSWORD = "changeit";
    private static final String SECP256R1_OID = "06082a8648ce3d030107";

    private final Path dir;

    public TestPki(Path dir) {
        this.dir = dir;
    }

    public enum KeyType { RSA, EC }

    /** A CA: its key store (alias {@code ca}) and certificate. */
    public record Ca(Path keyStore, X509Certificate certificate) {
    }

    /** A leaf: its key and chain (leaf, then the CA). */
    public record Leaf(PrivateKey key, List<X509Certificate> chain) {
        public X509Certificate certificate() {
            return chain.getFirst();
        }
    }

    public Ca ca(String name) throws Exception {
        Path store = dir.resolve(name + "-ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        KeyStore keyStore = load(store);
        return new Ca(store, (X509Certificate) keyStore.getCertificate("ca"));
    }

    /** A leaf signed by {@code ca}; {@code san} as keytool takes it, such as {@code dns:localhost,ip:127.0.0.1}. */
    public Leaf leaf(Ca ca, String name, KeyType type, String san) throws Exception {
        return leaf(ca, name, type, san, "-0d");
    }

    /** A leaf valid from {@code startDate} (keytool's form: {@code -3d} is three days ago) for two days. */
    public Leaf leaf(Ca ca, String name, KeyType type, String san, String startDate) throws Exception {
        Path store = dir.resolve(name + "-request.p12");
        Path request = dir.resolve(name + ".csr");
        Path signed = dir.resolve(name + ".crt");
        List<String> algorithm = type == KeyType.RSA
                ? List.of("-keyalg", "RSA", "-keysize", "2048")
                : List.of("-keyalg", "EC", "-groupname", "secp256r1");
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", "leaf", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
        generate.addAll(algorithm);
        keytool(generate.toArray(String[]::new));
        keytool("-certreq", "-alias", "leaf", "-keystore", store.toString(), "-storepass", PASSWORD, "-file", request.toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca.keyStore().toString(), "-storepass", PASSWORD,
                "-infile", request.toString(), "-outfile", signed.toString(), "-startdate", startDate, "-validity", "2",
                "-ext", "SAN=" + san);
        X509Certificate certificate;
        try (InputStream in = Files.newInputStream(signed)) {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        PrivateKey key = (PrivateKey) load(store).getKey("leaf", PASSWORD.toCharArray());
        return new Leaf(key, List.of(certificate, ca.certificate()));
    }

    private void keytool(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("keytool %s: %s", List.of(arguments), output).isZero();
    }

    private static KeyStore load(Path path) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    // --- writing files; each write replaces the target atomically, as a secret volume update does ---

    public static Path writeChain(Path path, List<X509Certificate> chain) throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            pem.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        return write(path, pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

    public static Path writePkcs8(Path path, PrivateKey key) throws IOException {
        return write(path, pem("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII));
    }

    /** PKCS#1: the RSAPrivateKey a PKCS#8 PrivateKeyInfo carries in its privateKey OCTET STRING. */
    public static Path writePkcs1(Path path, PrivateKey rsaKey) throws IOException {
        byte[] pkcs1 = Der.sequence(rsaKey.getEncoded()).get(2).content();
        return write(path, pem("RSA PRIVATE KEY", pkcs1).getBytes(StandardCharsets.US_ASCII));
    }

    /** SEC1 with its curve named in [0], as openssl writes it (the JDK's PKCS#8 encoding leaves the curve out of it). */
    public static Path writeSec1(Path path, ECPrivateKey key) throws IOException {
        byte[] s = key.getS().toByteArray();
        byte[] scalar = new byte[32];
        int copy = Math.min(32, s.length);
        System.arraycopy(s, s.length - copy, scalar, 32 - copy, copy);
        byte[] sec1 = Der.tlv(Der.SEQUENCE, new byte[] {0x02, 0x01, 0x01}, Der.tlv(Der.OCTET_STRING, scalar),
                Der.tlv(0xa0, HexFormat.of().parseHex(SECP256R1_OID)));
        return write(path, pem("EC PRIVATE KEY", sec1).getBytes(StandardCharsets.US_ASCII));
    }

    public static Path writeKeyStore(Path path, Leaf leaf) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", leaf.key(), PASSWORD.toCharArray(), leaf.chain().toArray(Certificate[]::new));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, PASSWORD.toCharArray());
        return write(path, bytes.toByteArray());
    }

    public static Path write(Path path, byte[] content) throws IOException {
        Path temporary = Files.createTempFile(path.toAbsolutePath().getParent(), ".next-", ".tmp");
        try (OutputStream out = Files.newOutputStream(temporary)) {
            out.write(content);
        }
        return Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }
}
