package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A policy's refusal on an LLM route answers in the dialect of the endpoint called, with the status kept. */
class PolicyRefusalsTest {
    private static final String CHAT = "{\"model\":\"openai/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String MESSAGES = "{\"model\":\"openai/m\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @RegisterExtension
    final FakeUpstream provider = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("fine")));

    /** Refuses with the status named by {@code X-Refuse}, as authentication (401) or a rate limit (429) does. */
    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("llm").pathPrefix("/v1")
            .policy((exchange, next) -> {
                String refuse = exchange.requestHeaders().get("X-Refuse");
                if (refuse == null) {
                    return next.proceed(exchange);
                }
                int status = Integer.parseInt(refuse);
                return exchange.errorResponse(new GatewayException(status, status == 401 ? "unauthorized" : "refused", "Refused: " + status))
                        .header("WWW-Authenticate", "Bearer");
            })
            .backend(LlmBackend.builder()
                    .provider(LlmProvider.openAiCompatible("openai", provider.url() + "/v1"))
                    .build())));

    private HttpResponse<String> refused(String path, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("X-Refuse", String.valueOf(status));
        request = body == null ? request.GET()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedChatCompletionGetsAnOpenAiErrorWithTheStatusKept() throws Exception {
        HttpResponse<String> response = refused("/v1/chat/completions", CHAT, 401);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode error = LlmTestClient.parse(response.body()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("Refused: 401");
        assertThat(error.path("type").asText()).isEqualTo("authentication_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("param").isNull()).isTrue();
        assertThat(error.path("code").asText()).isEqualTo("unauthorized");
        assertThat(provider.receivedCount()).isZero();
    }

    @Test
    void openAiErrorTypesFollowTheStatus() throws Exception {
        assertThat(LlmTestClient.parse(refused("/v1/chat/completions", CHAT, 429).body()).path("error").path("type").asText())
                .isEqualTo("rate_limit_error");
        assertThat(LlmTestClient.parse(refused("/v1/embeddings", "{\"model\":\"openai/e\",\"input\":\"x\"}", 403).body())
                .path("error").path("type").asText()).isEqualTo("permission_error");
        HttpResponse<String> models = refused("/v1/models", null, 400);
        assertThat(models.statusCode()).isEqualTo(400);
        assertThat(LlmTestClient.parse(models.body()).path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(provider.receivedCount()).isZero();
    }

    @Test
    void aRefusedMessagesRequestGetsAnAnthropicError() throws Exception {
        HttpResponse<String> response = refused("/v1/messages", MESSAGES, 401);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        JsonNode body = LlmTestClient.parse(response.body());
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("type").asText()).isEqualTo("authentication_error");
        assertThat(body.path("error").path("message").asText()).isEqualTo("Refused: 401");
        assertThat(provider.receivedCount()).isZero();
    }

    @Test
    void anthropicErrorTypesFollowTheStatus() throws Exception {
        assertThat(LlmTestClient.parse(refused("/v1/messages", MESSAGES, 403).body()).path("error").path("type").asText())
                .isEqualTo("permission_error");
        assertThat(LlmTestClient.parse(refused("/v1/messages", MESSAGES, 429).body()).path("error").path("type").asText())
                .isEqualTo("rate_limit_error");
        HttpResponse<String> unavailable = refused("/v1/messages", MESSAGES, 503);
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(LlmTestClient.parse(unavailable.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(LlmTestClient.parse(refused("/v1/messages", MESSAGES, 500).body()).path("error").path("type").asText())
                .isEqualTo("api_error");
    }
}
