package dev.agentgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A FakeUpstream serves https with a TestPki certificate and can require a client certificate. */
class FakeUpstreamTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Identity gatewayIdentity;
    static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        pki = TestPki.create(dir, "kit-ca");
        gatewayIdentity = pki.issue("gateway", "uri:spiffe://example.org/gateway");
        upstream = FakeUpstream.builder().handler("/", Fakes.canned(200, "secure"))
                .tls(pki.issue("upstream", "dns:localhost,ip:127.0.0.1"))
                .requireClientCertificate(pki.caBundle())
                .build().start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static HttpResponse<String> through(UpstreamTls tls) throws Exception {
        try (Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false)
                .route(Route.builder("up").backend(HttpBackend.builder().endpoint(upstream.url()).tls(tls).build())).start();
             HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(gateway.uri().resolve("/hello")).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void theUpstreamServesHttpsAndSeesTheClientCertificate() throws Exception {
        HttpResponse<String> response = through(UpstreamTls.builder().caBundle(pki.caBundle())
                .clientCertificate(gatewayIdentity.certificateChain(), gatewayIdentity.privateKey()).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("secure");
        assertThat(upstream.url()).startsWith("https://127.0.0.1:");
        assertThat(upstream.lastRequest().clientCertificateSubject()).isEqualTo("CN=gateway");
    }

    @Test
    void aClientWithoutCertificateIsRefused() throws Exception {
        assertThat(through(UpstreamTls.builder().caBundle(pki.caBundle()).build()).statusCode()).isEqualTo(502);
    }

    @Test
    void aCertificateFromAnotherCaIsNotTrusted() throws Exception {
        TestPki other = TestPki.create(dir, "other-ca");
        assertThat(through(UpstreamTls.builder().caBundle(other.caBundle())
                .clientCertificate(gatewayIdentity.certificateChain(), gatewayIdentity.privateKey()).build()).statusCode())
                .isEqualTo(502);
    }

    @Test
    void clientCertificatesNeedTls() {
        assertThatThrownBy(() -> FakeUpstream.builder().requireClientCertificate(pki.caBundle()).build())
                .hasMessageContaining("needs tls");
    }
}
