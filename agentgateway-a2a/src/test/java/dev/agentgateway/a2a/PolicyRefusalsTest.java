package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A policy's refusal on an A2A route answers in the shape of the binding called, with the status kept. */
class PolicyRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GET_TASK = "{\"jsonrpc\":\"2.0\",\"id\":\"req-7\",\"method\":\"GetTask\",\"params\":{\"id\":\"t\"}}";

    @RegisterExtension
    static final FakeUpstream agent = FakeUpstream.of(Fakes.echo());

    /** Refuses with the status named by {@code X-Refuse}, as authentication (401) or a rate limit (429) does. */
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("agent").pathPrefix("/agents/a")
                    .policy((exchange, next) -> {
                        String refuse = exchange.requestHeaders().get("X-Refuse");
                        if (refuse == null) {
                            return next.proceed(exchange);
                        }
                        int status = Integer.parseInt(refuse);
                        return exchange.errorResponse(new GatewayException(status, status == 401 ? "unauthorized" : "refused",
                                "Refused: " + status)).header("WWW-Authenticate", "Bearer");
                    })
                    .backend(A2aBackend.builder().url(agent.url()).jsonRpcPath("/rpc").build())));

    @BeforeEach
    void forgetRequests() {
        agent.reset();
    }

    private HttpResponse<String> send(HttpRequest.Builder request, int status) throws Exception {
        return gateway.httpClient().send(request.header("X-Refuse", String.valueOf(status)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postRpc(String body, int status) throws Exception {
        return send(HttpRequest.newBuilder(gateway.uri("/agents/a")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), status);
    }

    @Test
    void aRefusedJsonRpcCallGetsAJsonRpcErrorWithItsIdAndTheStatusKept() throws Exception {
        HttpResponse<String> response = postRpc(GET_TASK, 401);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(body.path("id").asText()).isEqualTo("req-7");
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(body.at("/error/message").asText()).isEqualTo("Refused: 401");
        assertThat(body.at("/error/data/status").asInt()).isEqualTo(401);
        assertThat(body.at("/error/data/code").asText()).isEqualTo("unauthorized");
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void aNumericIdIsEchoedAndA5xxRefusalIsAnInternalError() throws Exception {
        HttpResponse<String> response = postRpc("{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"GetTask\",\"params\":{\"id\":\"t\"}}", 503);

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").isInt()).isTrue();
        assertThat(body.path("id").asInt()).isEqualTo(42);
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32603);
    }

    @Test
    void aRefusedJsonRpcCallIsMeteredAsAnError() throws Exception {
        postRpc(GET_TASK, 429);

        // counted when the exchange completes, which may be just after the client has the answer
        for (int i = 0; i < 200 && gateway.meterRegistry().find("a2a.requests").tag("agent", "agent").tag("error_code", "-32000")
                .counter() == null; i++) {
            Thread.sleep(10);
        }
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("agent", "agent").tag("error_code", "-32000").counter())
                .isNotNull();
    }

    @Test
    void aRefusedRestCallGetsAGoogleRpcStatusBody() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/agents/a/tasks/t1")).GET(), 403);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.at("/error/code").asInt()).isEqualTo(403);
        assertThat(body.at("/error/status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(body.at("/error/message").asText()).isEqualTo("Refused: 403");
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void restStatusNamesFollowTheHttpStatus() throws Exception {
        HttpResponse<String> unauthenticated = send(HttpRequest.newBuilder(gateway.uri("/agents/a/message:send"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"message\":{}}")), 401);
        assertThat(JSON.readTree(unauthenticated.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        HttpResponse<String> limited = send(HttpRequest.newBuilder(gateway.uri("/agents/a/tasks")).GET(), 429);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(limited.body()).at("/error/status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    }

    @Test
    void aRefusedAgentCardGetsTheGatewaysJsonError() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/agents/a/.well-known/agent-card.json")).GET(), 401);

        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(error.path("status").asInt()).isEqualTo(401);
    }
}
