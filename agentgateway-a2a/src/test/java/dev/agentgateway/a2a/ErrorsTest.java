package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures get the answer each binding owes: JSON-RPC errors for JSON-RPC, google.rpc.Status for REST, 413 for big bodies. */
class ErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_TASK = "{\"jsonrpc\":\"2.0\",\"id\":\"req-1\",\"method\":\"GetTask\",\"params\":{\"id\":\"t\"}}";

    @RegisterExtension
    static final FakeUpstream slow = FakeUpstream.of(Fakes.slow(Duration.ofSeconds(3), Fakes.json(200, "{}")));

    @RegisterExtension
    static final FakeUpstream echo = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("down").pathPrefix("/agents/down")
                    .backend(A2aBackend.builder().url("http://127.0.0.1:1").jsonRpcPath("/rpc").build()))
            .route(Route.builder("slow").pathPrefix("/agents/slow")
                    .backend(A2aBackend.builder().url(slow.url()).jsonRpcPath("/rpc").requestTimeout(Duration.ofMillis(300)).build()))
            .route(Route.builder("small").pathPrefix("/agents/small").maxRequestBodySize(1024)
                    .backend(A2aBackend.builder().url(echo.url()).jsonRpcPath("/rpc").build())));

    private HttpResponse<String> post(String path, HttpRequest.BodyPublisher body) throws Exception {
        return gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path)).header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnreachableAgentIsAJsonRpcInternalErrorWith502OnTheJsonRpcBinding() throws Exception {
        HttpResponse<String> response = post("/agents/down", HttpRequest.BodyPublishers.ofString(GET_TASK));
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(body.get("id").asText()).isEqualTo("req-1");
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32603);
        assertThat(body.at("/error/message").asText()).contains("Agent 'down' is unavailable");
        // the request is counted when the exchange completes, which may be just after the client has the answer
        for (int i = 0; i < 200 && gateway.meterRegistry().find("a2a.requests").tag("agent", "down").tag("error_code", "-32603")
                .counter() == null; i++) {
            Thread.sleep(10);
        }
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("agent", "down").tag("error_code", "-32603").counter())
                .isNotNull();
    }

    @Test
    void anUnreachableAgentIsA502StatusOnTheRestBinding() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/down/tasks/t1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(502);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/error/code").asInt()).isEqualTo(502);
        assertThat(body.at("/error/status").asText()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void anAgentTooSlowForTheTimeoutIs504WithAJsonRpcError() throws Exception {
        HttpResponse<String> response = post("/agents/slow", HttpRequest.BodyPublishers.ofString(GET_TASK));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(-32603);
    }

    @Test
    void anOversizedBodyIs413() throws Exception {
        String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"parts\":[{\"text\":\""
                + "x".repeat(4096) + "\"}]}}}";
        echo.reset();
        assertThat(post("/agents/small", HttpRequest.BodyPublishers.ofString(big)).statusCode()).isEqualTo(413);
        // Without a declared length (chunked) too.
        byte[] bytes = big.getBytes();
        HttpResponse<String> chunked = post("/agents/small", HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes)));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(echo.requests()).isEmpty();
    }
}
