package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import dev.agentgateway.core.ClientCertificateAuth;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import dev.agentgateway.core.UpstreamTls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway verifies https upstreams against a CA bundle and a server name, and can present a client certificate. */
class UpstreamTlsTest {
    @TempDir
    static Path dir;
    static Path caBundle;
    static Path clientChain;
    static Path clientKey;
    /** An upstream whose certificate names only {@code upstream.internal}, asking for (not requiring) client certificates. */
    static Gateway upstream;

    @BeforeAll
    static void upstream() throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Ca ca = pki.ca("internal-ca");
        TestPki.Leaf server = pki.leaf(ca, "upstream", TestPki.KeyType.EC, "dns:upstream.internal");
        TestPki.Leaf client = pki.leaf(ca, "gateway", TestPki.KeyType.EC, "uri:spiffe://example.org/gateway");
        caBundle = TestPki.writeChain(dir.resolve("ca.pem"), java.util.List.of(ca.certificate()));
        clientChain = TestPki.writeChain(dir.resolve("gateway.crt"), client.chain());
        clientKey = TestPki.writePkcs8(dir.resolve("gateway.key"), client.key());
        Tls tls = Tls.builder().pem(TestPki.writeChain(dir.resolve("upstream.crt"), server.chain()),
                        TestPki.writePkcs8(dir.resolve("upstream.key"), server.key()))
                .clientAuth(Tls.ClientAuth.REQUEST, caBundle).build();
        upstream = Gateway.builder().name("upstream").port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false).tls(tls)
                .route(Route.builder("who").policy(ClientCertificateAuth.optional()).backend(exchange -> {
                    Principal principal = exchange.principal();
                    return Response.text(200, principal == null ? "anonymous" : principal.subject());
                })).start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static HttpResponse<String> through(HttpBackend backend) throws Exception {
        try (Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false)
                .route(Route.builder("up").backend(backend)).start();
             HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(gateway.uri().resolve("/who")).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String endpoint() {
        return "https://127.0.0.1:" + upstream.uri().getPort();
    }

    @Test
    void anUpstreamTheJvmDoesNotTrustIsABadGateway() throws Exception {
        assertThat(through(HttpBackend.of(endpoint())).statusCode()).isEqualTo(502);
    }

    @Test
    void theCaBundleAndServerNameVerifyTheUpstream() throws Exception {
        HttpResponse<String> response = through(HttpBackend.builder().endpoint(endpoint())
                .tls(UpstreamTls.builder().caBundle(caBundle).serverName("upstream.internal").build()).build());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("anonymous");
    }

    @Test
    void aCertificateThatDoesNotNameTheEndpointIsRefusedEvenFromATrustedCa() throws Exception {
        HttpResponse<String> response = through(HttpBackend.builder().endpoint(endpoint())
                .tls(UpstreamTls.builder().caBundle(caBundle).build()).build());
        assertThat(response.statusCode()).isEqualTo(502);
    }

    @Test
    void aClientCertificateAuthenticatesTheGatewayToTheUpstream() throws Exception {
        HttpResponse<String> response = through(HttpBackend.builder().endpoint(endpoint())
                .tls(UpstreamTls.builder().caBundle(caBundle).serverName("upstream.internal")
                        .clientCertificate(clientChain, clientKey).build()).build());
        assertThat(response.body()).isEqualTo("spiffe://example.org/gateway");
    }

    @Test
    void theInsecureModeAcceptsAnyCertificate() throws Exception {
        HttpResponse<String> response = through(HttpBackend.builder().endpoint(endpoint())
                .tls(UpstreamTls.builder().trustAllCertificatesInsecure().build()).build());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void contradictionsFailAtBuild() {
        assertThatThrownBy(() -> UpstreamTls.builder().caBundle(caBundle).trustAllCertificatesInsecure().build())
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> UpstreamTls.builder().serverName("not a host")).hasMessageContaining("serverName");
        assertThatThrownBy(() -> UpstreamTls.builder().clientCertificate(clientChain, caBundle).build())
                .hasMessageContaining("no PEM private key");
    }
}
