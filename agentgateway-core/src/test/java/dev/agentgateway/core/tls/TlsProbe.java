package dev.agentgateway.core.tls;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** What a TLS client sees of the gateway: the certificate served, a raw ClientHello's answer, HTTP clients. */
final class TlsProbe {
    private TlsProbe() {
    }

    /**
     * A client context trusting {@code ca}, offering {@code client} when it is not {@code null} and the
     * server names its issuer among the CAs it accepts (as JDK clients and browsers do).
     */
    static SSLContext context(X509Certificate ca, TestPki.Leaf client) throws Exception {
        return context(ca, client, false);
    }

    /** As {@link #context(X509Certificate, TestPki.Leaf)}, but presents {@code client} whatever CAs the server names (as curl does). */
    static SSLContext presenting(X509Certificate ca, TestPki.Leaf client) throws Exception {
        return context(ca, client, true);
    }

    private static SSLContext context(X509Certificate ca, TestPki.Leaf client, boolean always) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (client != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.key(), TestPki.PASSWORD.toCharArray(), client.chain().toArray(Certificate[]::new));
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, TestPki.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManager[] keys = keyManagers == null ? null : keyManagers.getKeyManagers();
        if (always) {
            keys = new KeyManager[] {new Presenting((X509ExtendedKeyManager) keys[0])};
        }
        context.init(keys, trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** Chooses the one client identity even when its issuer is not among those the server accepts. */
    private static final class Presenting extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        Presenting(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    static HttpClient http(SSLContext context) {
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * The leaf certificate a new connection to {@code port} is served, asking for {@code sniHost}
     * ({@code null}: no SNI; the JDK sends none for {@code 127.0.0.1} or dotless names anyway).
     */
    static X509Certificate served(int port, String sniHost, X509Certificate ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) context(ca, null).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            if (sniHost != null) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(sniHost)));
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** Polls {@code probe} until {@code done} holds, failing after a generous deadline rather than timing anything. */
    static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.call();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("still waiting for " + what + "; last seen: " + last);
    }

    /**
     * Sends a hand-made ClientHello of {@code version} ({@code 0x0302} TLS 1.1, {@code 0x0303} TLS 1.2)
     * and returns the content type of the first record answered ({@code 22} handshake, {@code 21}
     * alert) or {@code -1} when the server closes without one. Hand-made because the JDK client refuses
     * to offer TLS 1.1 itself, which would prove nothing about the server.
     */
    static int answerToClientHello(int port, int version) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(clientHello(version));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            try {
                return in.read();
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }
    }

    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(version >> 8);
        body.write(version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        // ECDHE-ECDSA/RSA with AES-128-GCM, and the CBC suites a TLS 1.1 client would offer.
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013};
        body.write(0);
        body.write(suites.length * 2);
        for (int suite : suites) {
            body.write(suite >> 8);
            body.write(suite);
        }
        body.write(1);
        body.write(0); // null compression only
        byte[] extensions = concat(
                extension(0x000a, 0x00, 0x04, 0x00, 0x17, 0x00, 0x1d),              // groups: secp256r1, x25519
                extension(0x000b, 0x01, 0x00),                                        // point formats: uncompressed
                extension(0x000d, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01));  // ecdsa_sha256, rsa_pss, rsa_sha256
        body.write(extensions.length >> 8);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {22, 3, 1}); // handshake record, legacy version TLS 1.0 as clients send it
        int handshakeLength = hello.length + 4;
        record.write(handshakeLength >> 8);
        record.write(handshakeLength);
        record.write(1); // ClientHello
        record.write(0);
        record.write(hello.length >> 8);
        record.write(hello.length);
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private static byte[] extension(int type, int... data) {
        byte[] bytes = new byte[4 + data.length];
        bytes[0] = (byte) (type >> 8);
        bytes[1] = (byte) type;
        bytes[2] = (byte) (data.length >> 8);
        bytes[3] = (byte) data.length;
        for (int i = 0; i < data.length; i++) {
            bytes[4 + i] = (byte) data[i];
        }
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
