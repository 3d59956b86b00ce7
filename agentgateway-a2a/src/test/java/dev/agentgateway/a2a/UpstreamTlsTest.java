package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamTls;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.TestPki;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An https agent: trusted through a CA bundle for calls, cards and the directory; refused otherwise; mTLS with a client certificate. */
class UpstreamTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_TASK = "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"method\":\"GetTask\",\"params\":{\"id\":\"t1\"}}";

    @TempDir
    static Path dir;
    static TestPki pki;
    static TestPki.Identity gatewayIdentity;
    /** An agent requiring a client certificate from the test CA. */
    static FakeUpstream agent;

    /** A v1.0 card naming the agent's own https address. */
    private static final FakeHandler CARD = (request, response) -> response.status(200).header("Content-Type", "application/json")
            .write("{\"name\":\"Secure\",\"description\":\"over TLS\",\"version\":\"1\",\"supportedInterfaces\":[{\"url\":\"https://"
                    + request.header("Host") + "/rpc\",\"protocolBinding\":\"JSONRPC\",\"protocolVersion\":\"1.0\"}],"
                    + "\"capabilities\":{},\"defaultInputModes\":[\"text/plain\"],\"defaultOutputModes\":[\"text/plain\"],"
                    + "\"skills\":[{\"id\":\"secure\",\"name\":\"secure\",\"description\":\"\",\"tags\":[]}]}");

    /** Answers every JSON-RPC call with a completed task, naming the client certificate it saw. */
    private static final FakeHandler RPC = (request, response) -> response.status(200).header("Content-Type", "application/json")
            .write("{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"result\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"},"
                    + "\"metadata\":{\"client\":\"" + request.clientCertificateSubject() + "\"}}}");

    @BeforeAll
    static void start() {
        pki = TestPki.create(dir, "a2a-ca");
        gatewayIdentity = pki.issue("gateway", "uri:spiffe://example.org/gateway");
        agent = FakeUpstream.builder().handler("/.well-known/agent-card.json", CARD).handler("/rpc", RPC)
                .tls(pki.issue("agent", "dns:localhost,ip:127.0.0.1")).requireClientCertificate(pki.caBundle())
                .build().start();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    private static UpstreamTls mutual() {
        return UpstreamTls.builder().caBundle(pki.caBundle())
                .clientCertificate(gatewayIdentity.certificateChain(), gatewayIdentity.privateKey()).build();
    }

    private static Gateway gateway(A2aBackend backend) {
        Route route = Route.builder("secure").pathPrefix("/agents/secure").backend(backend).build();
        return Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false).route(route)
                .route(Route.builder("agents").path("/.well-known/agents").backend(A2aDirectory.of(route))).start();
    }

    private static HttpResponse<String> send(Gateway gateway, HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static HttpResponse<String> getTask(Gateway gateway) throws Exception {
        return send(gateway, HttpRequest.newBuilder(gateway.uri().resolve("/agents/secure"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(GET_TASK)));
    }

    @Test
    void aJsonRpcCallReachesAnAgentTrustedThroughTheCaBundleWithTheClientCertificate() throws Exception {
        try (Gateway gateway = gateway(A2aBackend.builder().url(agent.url()).tls(mutual()).build())) {
            HttpResponse<String> response = getTask(gateway);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).at("/result/metadata/client").asText()).isEqualTo("CN=gateway");
        }
    }

    @Test
    void theCardAndTheDirectoryAreFetchedOverTheAgentsTls() throws Exception {
        try (Gateway gateway = gateway(A2aBackend.builder().url(agent.url()).tls(mutual()).build())) {
            HttpResponse<String> card = send(gateway, HttpRequest.newBuilder(gateway.uri().resolve("/agents/secure/.well-known/agent-card.json")));
            assertThat(card.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(card.body()).at("/supportedInterfaces/0/url").asText())
                    .isEqualTo(gateway.uri().resolve("/agents/secure/rpc").toString());
            JsonNode listed = JSON.readTree(send(gateway, HttpRequest.newBuilder(gateway.uri().resolve("/.well-known/agents"))).body());
            assertThat(listed.at("/agents/0/card/name").asText()).as(listed.toString()).isEqualTo("Secure");
        }
    }

    @Test
    void anAgentTheJvmDoesNotTrustIsAJsonRpcErrorWith502() throws Exception {
        try (Gateway gateway = gateway(A2aBackend.of(agent.url()))) {
            HttpResponse<String> response = getTask(gateway);
            assertThat(response.statusCode()).isEqualTo(502);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.at("/id").asText()).isEqualTo("req-1");
            assertThat(body.at("/error/code").asInt()).isEqualTo(-32603);
            assertThat(body.at("/error/message").asText()).contains("Agent 'secure' is unavailable");
            JsonNode listed = JSON.readTree(send(gateway, HttpRequest.newBuilder(gateway.uri().resolve("/.well-known/agents"))).body());
            assertThat(listed.at("/agents/0/error").asText()).contains("Agent 'secure'");
        }
    }

    @Test
    void anMtlsAgentRefusesAGatewayWithoutClientCertificate() throws Exception {
        try (Gateway gateway = gateway(A2aBackend.builder().url(agent.url())
                .tls(UpstreamTls.builder().caBundle(pki.caBundle()).build()).build())) {
            HttpResponse<String> response = getTask(gateway);
            assertThat(response.statusCode()).isEqualTo(502);
            assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32603);
        }
    }
}
