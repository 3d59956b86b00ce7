package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.ClientCertificateAuth;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client certificates are verified against the CA bundle during the handshake and become the Principal. */
class MutualTlsTest {
    /** Reports the principal the backend sees. */
    private static final Backend WHO = exchange -> {
        Principal principal = exchange.principal();
        return Response.json(200, principal == null ? "{\"anonymous\":true}"
                : "{\"subject\":\"" + principal.subject() + "\",\"scheme\":\"" + principal.scheme()
                + "\",\"trust_domain\":\"" + principal.claims().get(ClientCertificateAuth.TRUST_DOMAIN) + "\"}");
    };

    @TempDir
    static Path dir;
    static TestPki.Ca ca;
    static Path certificate;
    static Path key;
    static Path caBundle;
    static TestPki.Leaf spiffeClient;
    static TestPki.Leaf plainClient;
    static TestPki.Leaf strangerClient;
    static TestPki.Leaf expiredClient;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = new TestPki(dir);
        ca = pki.ca("clients-ca");
        TestPki.Ca spare = pki.ca("spare-ca");
        TestPki.Ca other = pki.ca("other-ca");
        TestPki.Leaf server = pki.leaf(ca, "server", TestPki.KeyType.EC, "dns:localhost,ip:127.0.0.1");
        certificate = TestPki.writeChain(dir.resolve("server.crt"), server.chain());
        key = TestPki.writePkcs8(dir.resolve("server.key"), server.key());
        // Several CAs in the bundle, the trusted one last: every certificate of the file counts.
        caBundle = TestPki.writeChain(dir.resolve("bundle.pem"), List.of(spare.certificate(), ca.certificate()));
        spiffeClient = pki.leaf(ca, "workload", TestPki.KeyType.EC, "uri:spiffe://example.org/ns/x,dns:workload.example.test");
        plainClient = pki.leaf(ca, "plain", TestPki.KeyType.RSA, "dns:plain.example.test");
        strangerClient = pki.leaf(other, "stranger", TestPki.KeyType.EC, "uri:spiffe://example.org/ns/x");
        expiredClient = pki.leaf(ca, "expired", TestPki.KeyType.EC, "uri:spiffe://example.org/ns/x", "-5d");
    }

    private static Gateway start(Tls.ClientAuth mode, ClientCertificateAuth policy) {
        Tls tls = Tls.builder().pem(certificate, key).clientAuth(mode, caBundle).build();
        return Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false).tls(tls)
                .route(Route.builder("who").policy(policy).backend(WHO)).start();
    }

    private static HttpResponse<String> get(Gateway gateway, TestPki.Leaf client) throws Exception {
        return get(gateway, TlsProbe.context(ca.certificate(), client));
    }

    private static HttpResponse<String> anonymously(Gateway gateway) throws Exception {
        return get(gateway, TlsProbe.context(ca.certificate(), null));
    }

    private static HttpResponse<String> get(Gateway gateway, SSLContext context) throws Exception {
        try (HttpClient http = TlsProbe.http(context)) {
            return http.send(HttpRequest.newBuilder(gateway.uri().resolve("/who")).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void withRequireAClientWithoutCertificateFailsTheHandshake() {
        try (Gateway gateway = start(Tls.ClientAuth.REQUIRE, ClientCertificateAuth.required())) {
            assertThatThrownBy(() -> anonymously(gateway)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void withRequireACertificateFromAnotherCaFailsTheHandshake() throws Exception {
        SSLContext stranger = TlsProbe.presenting(ca.certificate(), strangerClient);
        try (Gateway gateway = start(Tls.ClientAuth.REQUIRE, ClientCertificateAuth.required())) {
            assertThatThrownBy(() -> get(gateway, stranger)).isInstanceOf(IOException.class);
            // A JDK client offers only certificates of the CAs the server names, so it presents none: refused as well.
            assertThatThrownBy(() -> get(gateway, strangerClient)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anExpiredCertificateOfTheTrustedCaFailsTheHandshake() throws Exception {
        SSLContext expired = TlsProbe.presenting(ca.certificate(), expiredClient);
        try (Gateway gateway = start(Tls.ClientAuth.REQUIRE, ClientCertificateAuth.required())) {
            assertThatThrownBy(() -> get(gateway, expired)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aVerifiedCertificateWithASpiffeIdBecomesThePrincipal() throws Exception {
        try (Gateway gateway = start(Tls.ClientAuth.REQUIRE, ClientCertificateAuth.required())) {
            HttpResponse<String> response = get(gateway, spiffeClient);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo(
                    "{\"subject\":\"spiffe://example.org/ns/x\",\"scheme\":\"mtls\",\"trust_domain\":\"example.org\"}");
        }
    }

    @Test
    void withoutSpiffeIdTheSubjectIsTheDistinguishedName() throws Exception {
        try (Gateway gateway = start(Tls.ClientAuth.REQUIRE, ClientCertificateAuth.required())) {
            assertThat(get(gateway, plainClient).body()).contains("\"subject\":\"CN=plain\"").contains("\"trust_domain\":\"null\"");
        }
    }

    @Test
    void withRequestAClientWithoutCertificateStaysAnonymous() throws Exception {
        try (Gateway gateway = start(Tls.ClientAuth.REQUEST, ClientCertificateAuth.optional())) {
            assertThat(anonymously(gateway).body()).isEqualTo("{\"anonymous\":true}");
            assertThat(get(gateway, spiffeClient).body()).contains("\"subject\":\"spiffe://example.org/ns/x\"");
        }
    }

    @Test
    void withRequestTheRequiredPolicyAnswers401WithoutCertificate() throws Exception {
        try (Gateway gateway = start(Tls.ClientAuth.REQUEST, ClientCertificateAuth.required())) {
            HttpResponse<String> response = anonymously(gateway);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).contains("client certificate is required");
        }
    }

    @Test
    void withRequestACertificateFromAnotherCaFailsTheHandshakeWhenPresented() throws Exception {
        SSLContext stranger = TlsProbe.presenting(ca.certificate(), strangerClient);
        try (Gateway gateway = start(Tls.ClientAuth.REQUEST, ClientCertificateAuth.optional())) {
            assertThatThrownBy(() -> get(gateway, stranger)).isInstanceOf(IOException.class);
            // A JDK client, told which CAs the server accepts, keeps the stranger certificate to itself.
            assertThat(get(gateway, strangerClient).body()).isEqualTo("{\"anonymous\":true}");
        }
    }

    @Test
    void theClaimsCarryTheCertificatesNames() {
        Principal principal = ClientCertificateAuth.principal(spiffeClient.certificate());
        assertThat(principal.claims())
                .containsEntry(ClientCertificateAuth.SUBJECT_DN, "CN=workload")
                .containsEntry(ClientCertificateAuth.ISSUER_DN, "CN=clients-ca")
                .containsEntry(ClientCertificateAuth.DNS_NAMES, List.of("workload.example.test"))
                .containsEntry(ClientCertificateAuth.URIS, List.of("spiffe://example.org/ns/x"))
                .containsEntry(ClientCertificateAuth.SPIFFE_ID, "spiffe://example.org/ns/x")
                .containsEntry(ClientCertificateAuth.TRUST_DOMAIN, "example.org");
        assertThat(principal.roles()).isEmpty();
    }
}
