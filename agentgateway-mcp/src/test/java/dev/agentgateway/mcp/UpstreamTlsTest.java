package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamTls;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.FakeSseServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streamable HTTP and SSE targets over https: trusted through a CA bundle, refused otherwise, with a client certificate for mTLS. */
class UpstreamTlsTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Identity gatewayIdentity;
    /** Requires a client certificate from the test CA. */
    static FakeUpstream mutual;
    static FakeUpstream legacy;
    static FakeUpstream plain;

    @BeforeAll
    static void upstreams() {
        pki = TestPki.create(dir, "mcp-ca");
        gatewayIdentity = pki.issue("gateway", "uri:spiffe://example.org/gateway");
        TestPki.Identity server = pki.issue("tools", "dns:localhost,ip:127.0.0.1");
        mutual = FakeUpstream.builder().handler("/", new FakeMcpServer("secure", 2, 10)).tls(server)
                .requireClientCertificate(pki.caBundle()).build().start();
        legacy = FakeUpstream.builder().handler("/", new FakeSseServer()).tls(server).build().start();
        plain = FakeUpstream.of(new FakeMcpServer("plain", 1, 10)).start();
    }

    @AfterAll
    static void stop() {
        mutual.close();
        legacy.close();
        plain.close();
    }

    private static UpstreamTls trustingTheCa() {
        return UpstreamTls.builder().caBundle(pki.caBundle())
                .clientCertificate(gatewayIdentity.certificateChain(), gatewayIdentity.privateKey()).build();
    }

    private static Gateway gateway(McpTarget... targets) {
        McpBackend.Builder backend = McpBackend.builder();
        for (McpTarget target : targets) {
            backend.target(target);
        }
        return Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false)
                .route(Route.builder("mcp").path("/mcp").backend(backend.build())).start();
    }

    private static JsonNode toolsThrough(Gateway gateway) throws Exception {
        try (RawMcpClient client = new RawMcpClient(gateway.uri().resolve("/mcp"))) {
            client.initialize(RawMcpClient.object());
            return client.call("tools/list", RawMcpClient.object());
        }
    }

    @Test
    void aStreamableHttpTargetTrustingTheCaPresentsTheClientCertificate() throws Exception {
        try (Gateway gateway = gateway(McpTarget.streamableHttp("secure", URI.create(mutual.url() + "/mcp")).withTls(trustingTheCa()))) {
            JsonNode tools = toolsThrough(gateway);
            assertThat(tools.path("result").path("tools")).hasSize(2);
            assertThat(mutual.lastRequest().clientCertificateSubject()).isEqualTo("CN=gateway");
        }
    }

    @Test
    void anSseTargetTrustingTheCaWorks() throws Exception {
        try (Gateway gateway = gateway(McpTarget.sse("legacy", URI.create(legacy.url() + "/sse"))
                .withTls(UpstreamTls.builder().caBundle(pki.caBundle()).build()))) {
            JsonNode tools = toolsThrough(gateway);
            assertThat(tools.path("result").path("tools").isArray()).as("tools/list answer: %s", tools).isTrue();
            assertThat(tools.has("error")).isFalse();
        }
    }

    @Test
    void anUpstreamTheJvmDoesNotTrustGetsAJsonRpcErrorNamingTheTarget() throws Exception {
        try (Gateway gateway = gateway(McpTarget.streamableHttp("secure", URI.create(mutual.url() + "/mcp")));
             RawMcpClient client = new RawMcpClient(gateway.uri().resolve("/mcp"))) {
            HttpResponse<String> response = client.post(client.request("initialize", initializeParams()));
            JsonNode answer = RawMcpClient.message(response);
            assertThat(answer.path("error").path("code").asInt()).as("answer: %s", answer).isNotZero();
            assertThat(answer.path("error").path("message").asText()).contains("secure");
        }
    }

    @Test
    void anMtlsUpstreamRefusesATargetWithoutClientCertificate() throws Exception {
        try (Gateway gateway = gateway(McpTarget.streamableHttp("secure", URI.create(mutual.url() + "/mcp"))
                .withTls(UpstreamTls.builder().caBundle(pki.caBundle()).build()));
             RawMcpClient client = new RawMcpClient(gateway.uri().resolve("/mcp"))) {
            JsonNode answer = RawMcpClient.message(client.post(client.request("initialize", initializeParams())));
            assertThat(answer.path("error").path("message").asText()).as("answer: %s", answer).contains("secure");
        }
    }

    @Test
    void targetsWithAndWithoutTlsShareOneBackend() throws Exception {
        try (Gateway gateway = gateway(
                McpTarget.streamableHttp("secure", URI.create(mutual.url() + "/mcp")).withTls(trustingTheCa()),
                McpTarget.streamableHttp("plain", URI.create(plain.url() + "/mcp")))) {
            JsonNode tools = toolsThrough(gateway);
            assertThat(tools.path("result").path("tools")).hasSize(3);
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode initializeParams() {
        com.fasterxml.jackson.databind.node.ObjectNode params = RawMcpClient.object();
        params.put("protocolVersion", "2025-11-25");
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "tls-test").put("version", "1.0");
        return params;
    }
}
