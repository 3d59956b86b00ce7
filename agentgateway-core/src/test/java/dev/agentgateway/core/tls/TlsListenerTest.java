package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listener serves identities from PEM files and key stores, picks them by SNI, and speaks only TLS 1.2 and 1.3. */
class TlsListenerTest {
    private static final Backend ECHO = exchange -> Response.json(200,
            "{\"scheme\":\"" + exchange.scheme() + "\",\"protocol\":\"" + exchange.protocol() + "\"}");

    @TempDir
    static Path dir;
    static TestPki.Ca ca;
    static TestPki.Leaf ec;
    static TestPki.Leaf rsa;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = new TestPki(dir);
        ca = pki.ca("listener-ca");
        ec = pki.leaf(ca, "ec", TestPki.KeyType.EC, "dns:localhost,ip:127.0.0.1");
        rsa = pki.leaf(ca, "rsa", TestPki.KeyType.RSA, "dns:localhost,ip:127.0.0.1");
    }

    static Gateway start(Tls tls) {
        return Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false).tls(tls)
                .route(Route.builder("echo").backend(ECHO)).start();
    }

    @Test
    void aPkcs8KeyIsServedAndHttp2IsNegotiatedThroughAlpn() throws Exception {
        Tls tls = Tls.pem(TestPki.writeChain(dir.resolve("ec.crt"), ec.chain()), TestPki.writePkcs8(dir.resolve("ec.key"), ec.key()));
        try (Gateway gateway = start(tls); HttpClient client = TlsProbe.http(TlsProbe.context(ca.certificate(), null))) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).contains("\"scheme\":\"https\"").contains("\"protocol\":\"HTTP/2.0\"");
            assertThat(TlsProbe.served(gateway.uri().getPort(), null, ca.certificate())).isEqualTo(ec.certificate());
        }
    }

    @Test
    void aPkcs1RsaKeyIsServed() throws Exception {
        Tls tls = Tls.pem(TestPki.writeChain(dir.resolve("rsa.crt"), rsa.chain()), TestPki.writePkcs1(dir.resolve("rsa.key"), rsa.key()));
        try (Gateway gateway = start(tls); HttpClient client = TlsProbe.http(TlsProbe.context(ca.certificate(), null))) {
            assertThat(TlsProbe.served(gateway.uri().getPort(), null, ca.certificate())).isEqualTo(rsa.certificate());
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSec1EcKeyIsServed() throws Exception {
        Tls tls = Tls.pem(TestPki.writeChain(dir.resolve("sec1.crt"), ec.chain()),
                TestPki.writeSec1(dir.resolve("sec1.key"), (ECPrivateKey) ec.key()));
        try (Gateway gateway = start(tls)) {
            assertThat(TlsProbe.served(gateway.uri().getPort(), null, ca.certificate())).isEqualTo(ec.certificate());
        }
    }

    @Test
    void aKeyStoreIsServedAsBefore() throws Exception {
        Tls tls = Tls.keyStore(TestPki.writeKeyStore(dir.resolve("rsa.p12"), rsa), TestPki.PASSWORD);
        try (Gateway gateway = start(tls); HttpClient client = TlsProbe.http(TlsProbe.context(ca.certificate(), null))) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(TlsProbe.served(gateway.uri().getPort(), null, ca.certificate())).isEqualTo(rsa.certificate());
        }
    }

    @Test
    void sniPicksTheCertificateOfEachHostName() throws Exception {
        TestPki pki = new TestPki(dir);
        TestPki.Leaf api = pki.leaf(ca, "api", TestPki.KeyType.EC, "dns:api.example.test");
        TestPki.Leaf admin = pki.leaf(ca, "admin", TestPki.KeyType.EC, "dns:admin.example.test");
        Tls tls = Tls.builder()
                .pem(TestPki.writeChain(dir.resolve("api.crt"), api.chain()), TestPki.writePkcs8(dir.resolve("api.key"), api.key()))
                .keyStore(TestPki.writeKeyStore(dir.resolve("admin.p12"), admin), TestPki.PASSWORD)
                .build();
        try (Gateway gateway = start(tls)) {
            int port = gateway.uri().getPort();
            assertThat(TlsProbe.served(port, "admin.example.test", ca.certificate())).isEqualTo(admin.certificate());
            assertThat(TlsProbe.served(port, "api.example.test", ca.certificate())).isEqualTo(api.certificate());
        }
    }

    @Test
    void aTls11ClientIsRefusedWhileTls12IsAnswered() throws Exception {
        Tls tls = Tls.pem(TestPki.writeChain(dir.resolve("v.crt"), ec.chain()), TestPki.writePkcs8(dir.resolve("v.key"), ec.key()));
        try (Gateway gateway = start(tls)) {
            int port = gateway.uri().getPort();
            int handshake = 22;
            assertThat(TlsProbe.answerToClientHello(port, 0x0303)).as("the same hello as TLS 1.2").isEqualTo(handshake);
            assertThat(TlsProbe.answerToClientHello(port, 0x0302)).as("TLS 1.1").isNotEqualTo(handshake);
        }
    }
}
