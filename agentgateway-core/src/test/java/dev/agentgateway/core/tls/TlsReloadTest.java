package dev.agentgateway.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.Tls;
import dev.agentgateway.core.internal.tls.ListenerTls;
import dev.agentgateway.core.internal.tls.TlsFileReload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaced certificate files reach new connections without a restart; files that do not load change nothing. */
class TlsReloadTest {
    @TempDir
    static Path shared;
    static TestPki.Ca ca;
    static TestPki.Leaf first;
    static TestPki.Leaf second;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        TestPki pki = new TestPki(shared);
        ca = pki.ca("reload-ca");
        first = pki.leaf(ca, "first", TestPki.KeyType.EC, "dns:localhost,ip:127.0.0.1");
        second = pki.leaf(ca, "second", TestPki.KeyType.RSA, "dns:localhost,ip:127.0.0.1");
    }

    private static Gateway start(Tls tls, MeterRegistry meters) {
        return Gateway.builder().port(0).meterRegistry(meters).accessLog(false).tls(tls)
                .route(Route.builder("ok").backend(exchange -> Response.text(200, "ok"))).start();
    }

    private static double reloads(MeterRegistry meters, String outcome) {
        Counter counter = meters.find("agentgateway.tls.reloads").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private Tls pem(TestPki.Leaf leaf) throws Exception {
        return Tls.builder().pem(TestPki.writeChain(dir.resolve("tls.crt"), leaf.chain()),
                TestPki.writePkcs8(dir.resolve("tls.key"), leaf.key())).reloadInterval(Duration.ofMillis(20)).build();
    }

    private X509Certificate served(Gateway gateway) throws Exception {
        return TlsProbe.served(gateway.uri().getPort(), null, ca.certificate());
    }

    @Test
    void replacedPemFilesAreServedToNewConnections() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Gateway gateway = start(pem(first), meters)) {
            assertThat(served(gateway)).isEqualTo(first.certificate());
            TestPki.writePkcs1(dir.resolve("tls.key"), second.key());
            TestPki.writeChain(dir.resolve("tls.crt"), second.chain());
            TlsProbe.await("the second certificate", () -> served(gateway), second.certificate()::equals);
            assertThat(reloads(meters, "reloaded")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aReplacedKeyStoreIsServedToNewConnections() throws Exception {
        Path store = TestPki.writeKeyStore(dir.resolve("tls.p12"), first);
        Tls tls = Tls.builder().keyStore(store, TestPki.PASSWORD).reloadInterval(Duration.ofMillis(20)).build();
        try (Gateway gateway = start(tls, new SimpleMeterRegistry())) {
            assertThat(served(gateway)).isEqualTo(first.certificate());
            TestPki.writeKeyStore(store, second);
            TlsProbe.await("the second certificate", () -> served(gateway), second.certificate()::equals);
        }
    }

    @Test
    void aBadNewFileKeepsTheCertificateInUseUntilAGoodOneArrives() throws Exception {
        MeterRegistry meters = new SimpleMeterRegistry();
        try (Gateway gateway = start(pem(first), meters)) {
            TestPki.write(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n"
                    .getBytes(StandardCharsets.US_ASCII));
            TlsProbe.await("the bad file to be rejected", () -> reloads(meters, "rejected"), count -> count >= 1);
            assertThat(served(gateway)).isEqualTo(first.certificate());

            TestPki.writeChain(dir.resolve("tls.crt"), second.chain());
            TestPki.writePkcs8(dir.resolve("tls.key"), second.key());
            TlsProbe.await("the second certificate", () -> served(gateway), second.certificate()::equals);
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateIsRejectedOnceAndThePairServedWhenComplete() throws Exception {
        Tls tls = pem(first);
        ListenerTls listener = ListenerTls.create(tls, "reload-test", new SimpleMeterRegistry());
        assertThat(listener.reloadIfChanged()).isEqualTo(TlsFileReload.Outcome.UNCHANGED);

        TestPki.writePkcs8(dir.resolve("tls.key"), second.key()); // the key arrives before its certificate
        assertThat(listener.reloadIfChanged()).isEqualTo(TlsFileReload.Outcome.REJECTED);
        assertThat(listener.reloadIfChanged()).as("logged once, not at every check").isEqualTo(TlsFileReload.Outcome.UNCHANGED);

        TestPki.writeChain(dir.resolve("tls.crt"), second.chain());
        assertThat(listener.reloadIfChanged()).isEqualTo(TlsFileReload.Outcome.RELOADED);
        assertThat(listener.reloadIfChanged()).isEqualTo(TlsFileReload.Outcome.UNCHANGED);
    }
}
