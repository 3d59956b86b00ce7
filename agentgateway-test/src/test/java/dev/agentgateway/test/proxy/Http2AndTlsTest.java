package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/2 towards clients (h2c and TLS with ALPN) and towards upstreams (h2c). */
class Http2AndTlsTest {

    @TempDir
    Path dir;

    @Test
    void clientsCanSpeakH2cWithPriorKnowledge() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.echo()).start();
             Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("r").backend(HttpBackend.of(upstream.url()))).start()) {
            org.eclipse.jetty.client.HttpClient h2c = TestClients.jettyH2c();
            try {
                ContentResponse response = h2c.newRequest(gateway.uri().resolve("/over-h2")).timeout(5, TimeUnit.SECONDS).send();
                assertThat(response.getVersion().asString()).isEqualTo("HTTP/2.0");
                assertThat(response.getContentAsString()).contains("\"path\":\"/over-h2\"");
                // The upstream hop stays HTTP/1.1 unless configured otherwise.
                assertThat(upstream.lastRequest().protocol()).isEqualTo("HTTP/1.1");
            } finally {
                h2c.stop();
            }
        }
    }

    @Test
    void upstreamsCanBeSpokenToOverH2c() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.echo()).start();
             Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("r").backend(HttpBackend.builder().endpoint(upstream.url())
                             .protocol(UpstreamOptions.Protocol.H2C).build())).start();
             HttpClient client = TestClients.jdk()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x"))
                    .POST(HttpRequest.BodyPublishers.ofString("over h2c")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).contains("\"protocol\":\"HTTP/2.0\"").contains("\"body\":\"over h2c\"");
        }
    }

    @Test
    void tlsListenersNegotiateHttp2ThroughAlpn() throws Exception {
        Path keyStore = dir.resolve("gateway.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "gateway", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as("keytool: %s", output).isZero();
        assertThat(Files.size(keyStore)).isPositive();

        try (FakeUpstream upstream = FakeUpstream.of(Fakes.echo()).start();
             Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry())
                     .tls(Tls.keyStore(keyStore, "changeit"))
                     .route(Route.builder("r").backend(HttpBackend.of(upstream.url()))).start();
             HttpClient client = HttpClient.newBuilder().sslContext(trusting(keyStore)).version(HttpClient.Version.HTTP_2).build()) {
            assertThat(gateway.uri().getScheme()).isEqualTo("https");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/secure")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).contains("\"x-forwarded-proto\":[\"https\"]");
        }
    }

    private static SSLContext trusting(Path keyStorePath) throws Exception {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keyStorePath)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("gateway", (X509Certificate) keyStore.getCertificate("gateway"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
