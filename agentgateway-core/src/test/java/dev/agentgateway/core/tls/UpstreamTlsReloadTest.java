package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.agentgateway.core.ClientCertificateAuth;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import dev.agentgateway.core.UpstreamTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaced upstream TLS files (a CA bundle, a client certificate) reach new upstream connections
 * without a restart; new files that do not load keep those in use.
 */
class UpstreamTlsReloadTest {
    @TempDir
    static Path shared;
    static TestPki.Ca oldCa;
    static TestPki.Ca newCa;
    static TestPki.Leaf first;
    static TestPki.Leaf rotated;
    /** Serves a certificate of {@link #newCa}, names the client certificate, and closes each connection after answering. */
    static Gateway upstream;

    @TempDir
    Path dir;

    @BeforeAll
    static void upstream() throws Exception {
        TestPki pki = new TestPki(shared);
        oldCa = pki.ca("old-ca");
        newCa = pki.ca("new-ca");
        TestPki.Leaf server = pki.leaf(newCa, "upstream", TestPki.KeyType.EC, "dns:localhost,ip:127.0.0.1");
        first = pki.leaf(newCa, "gateway-first", TestPki.KeyType.EC, "uri:spiffe://example.org/gateway/first");
        rotated = pki.leaf(newCa, "gateway-rotated", TestPki.KeyType.RSA, "uri:spiffe://example.org/gateway/rotated");
        Path clients = TestPki.writeChain(shared.resolve("clients-ca.pem"), List.of(newCa.certificate()));
        Tls tls = Tls.builder().pem(TestPki.writeChain(shared.resolve("upstream.crt"), server.chain()),
                        TestPki.writePkcs8(shared.resolve("upstream.key"), server.key()))
                .clientAuth(Tls.ClientAuth.REQUEST, clients).build();
        upstream = Gateway.builder().name("upstream").port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false).tls(tls)
                .route(Route.builder("who").policy(ClientCertificateAuth.optional()).backend(exchange -> {
                    Principal principal = exchange.principal();
                    // a new connection per request, so each one shows which client certificate is presented now
                    return Response.text(200, principal == null ? "anonymous" : principal.subject()).header("Connection", "close");
                })).start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    private static Gateway gateway(UpstreamTls tls, MeterRegistry meters) {
        return Gateway.builder().port(0).meterRegistry(meters).accessLog(false)
                .route(Route.builder("up").backend(HttpBackend.builder().endpoint("https://localhost:" + upstream.uri().getPort())
                        .tls(tls).build())).start();
    }

    private static HttpResponse<String> who(Gateway gateway, HttpClient client) throws Exception {
        return client.send(HttpRequest.newBuilder(gateway.uri().resolve("/who")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double reloads(MeterRegistry meters, String outcome) {
        Counter counter = meters.find("agentgateway.tls.upstream.reloads").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aCaBundleGainingTheUpstreamsCaIsTrustedForNewConnections() throws Exception {
        Path bundle = TestPki.writeChain(dir.resolve("ca.pem"), List.of(oldCa.certificate()));
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Gateway gateway = gateway(UpstreamTls.builder().caBundle(bundle).reloadInterval(Duration.ofMillis(20)).build(), meters);
             HttpClient client = HttpClient.newHttpClient()) {
            assertThat(who(gateway, client).statusCode()).as("the upstream's CA is not in the bundle yet").isEqualTo(502);
            TestPki.writeChain(bundle, List.of(oldCa.certificate(), newCa.certificate()));
            TlsProbe.await("the new CA to be trusted", () -> who(gateway, client).statusCode(), status -> status == 200);
            assertThat(reloads(meters, "reloaded")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aRotatedClientCertificateIsPresentedOnNewConnectionsAndABadOneKeepsTheOldOne() throws Exception {
        Path bundle = TestPki.writeChain(dir.resolve("ca.pem"), List.of(newCa.certificate()));
        Path chain = TestPki.writeChain(dir.resolve("gateway.crt"), first.chain());
        Path key = TestPki.writePkcs8(dir.resolve("gateway.key"), first.key());
        MeterRegistry meters = new SimpleMeterRegistry();
        UpstreamTls tls = UpstreamTls.builder().caBundle(bundle).clientCertificate(chain, key).reloadInterval(Duration.ofMillis(20)).build();
        try (Gateway gateway = gateway(tls, meters); HttpClient client = HttpClient.newHttpClient()) {
            assertThat(who(gateway, client).body()).isEqualTo("spiffe://example.org/gateway/first");

            TestPki.write(chain, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
                    .getBytes(StandardCharsets.US_ASCII));
            TlsProbe.await("the bad file to be rejected", () -> reloads(meters, "rejected"), count -> count >= 1);
            assertThat(who(gateway, client).body()).as("the certificate in use stays").isEqualTo("spiffe://example.org/gateway/first");

            TestPki.writeChain(chain, rotated.chain());
            TestPki.writePkcs1(key, rotated.key());
            TlsProbe.await("the rotated certificate", () -> who(gateway, client).body(), "spiffe://example.org/gateway/rotated"::equals);
        }
    }

    @Test
    void reloadOffReadsTheFilesOnlyAtStart() throws Exception {
        Path bundle = TestPki.writeChain(dir.resolve("ca.pem"), List.of(newCa.certificate()));
        try (Gateway gateway = gateway(UpstreamTls.builder().caBundle(bundle).reloadInterval(Duration.ZERO).build(), new SimpleMeterRegistry());
             HttpClient client = HttpClient.newHttpClient()) {
            assertThat(who(gateway, client).statusCode()).isEqualTo(200);
            TestPki.writeChain(bundle, List.of(oldCa.certificate()));
            Thread.sleep(200); // ten checks' worth at the interval the other tests use; none runs here
            assertThat(who(gateway, client).statusCode()).as("the bundle read at start is still in use").isEqualTo(200);
        }
    }
}
