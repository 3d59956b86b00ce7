package dev.agentgateway.llm;

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
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.TestPki;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider over https: trusted through a CA bundle with a client certificate (mTLS), refused with an OpenAI-shaped 502 otherwise. */
class UpstreamTlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static FakeUpstream secure;
    static FakeUpstream plain;
    static Gateway gateway;

    @BeforeAll
    static void start() {
        TestPki pki = TestPki.create(dir, "llm-ca");
        TestPki.Identity client = pki.issue("gateway", "uri:spiffe://example.org/gateway");
        secure = FakeUpstream.builder().handler("/", FakeOpenAi.replying(FakeReply.text("over tls")))
                .tls(pki.issue("model-server", "dns:localhost,ip:127.0.0.1")).requireClientCertificate(pki.caBundle())
                .build().start();
        plain = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("in the clear"))).start();
        UpstreamTls mutual = UpstreamTls.builder().caBundle(pki.caBundle())
                .clientCertificate(client.certificateChain(), client.privateKey()).build();
        gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).accessLog(false)
                .route(Route.builder("llm").pathPrefix("/v1").backend(LlmBackend.builder()
                        .provider(LlmProvider.vllm("secure", secure.url() + "/v1").tls(mutual))
                        .provider(LlmProvider.vllm("untrusted", secure.url() + "/v1"))
                        .provider(LlmProvider.vllm("nocert", secure.url() + "/v1").tls(UpstreamTls.builder().caBundle(pki.caBundle()).build()))
                        .provider(LlmProvider.vllm("plain", plain.url() + "/v1"))
                        .build()))
                .start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        secure.close();
        plain.close();
    }

    private static HttpResponse<String> chat(String model, boolean stream) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(gateway.uri().resolve("/v1/chat/completions")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void aProviderTrustedThroughTheCaBundleAnswersAndSeesTheClientCertificate() throws Exception {
        HttpResponse<String> response = chat("secure/m", false);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("over tls");
        assertThat(secure.lastRequest().clientCertificateSubject()).isEqualTo("CN=gateway");
    }

    @Test
    void aStreamFlowsOverTls() throws Exception {
        HttpResponse<String> response = chat("secure/m", true);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"content\":\"over \"").contains("\"content\":\"tls\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aProviderTheJvmDoesNotTrustIsAnOpenAiShaped502() throws Exception {
        HttpResponse<String> response = chat("untrusted/m", false);
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("message").asText()).contains("untrusted");
        assertThat(error.has("type")).isTrue();
    }

    @Test
    void anMtlsProviderRefusesAGatewayWithoutClientCertificate() throws Exception {
        HttpResponse<String> response = chat("nocert/m", false);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("nocert");
    }

    @Test
    void providersWithoutTlsSettingsKeepTheSharedClient() throws Exception {
        HttpResponse<String> response = chat("plain/m", false);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("in the clear");
    }
}
