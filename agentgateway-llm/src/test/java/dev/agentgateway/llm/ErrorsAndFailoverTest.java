package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every failure a client can meet answers in OpenAI's error shape with the right status; failover and ejection. */
class ErrorsAndFailoverTest {

    @RegisterExtension
    final FakeUpstream healthy = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("fine")));

    @RegisterExtension
    final FakeUpstream badRequest = FakeUpstream.of(FakeAnthropic.replying(
            FakeReply.error(400, "messages: roles must alternate between \"user\" and \"assistant\"")));

    @RegisterExtension
    final FakeUpstream broken = FakeUpstream.of(FakeAnthropic.replying(FakeReply.error(500, "Internal server error")));

    @RegisterExtension
    final FakeUpstream limited = FakeUpstream.of(FakeOpenAi.replying(FakeReply.error(429, "Rate limit reached for gpt-4o")));

    @RegisterExtension
    final FakeUpstream slow = FakeUpstream.of(Fakes.slow(Duration.ofSeconds(2), FakeOpenAi.replying(FakeReply.text("late"))));

    @RegisterExtension
    final FakeUpstream retryLater = FakeUpstream.builder()
            .handler("/v1", Fakes.canned(429, java.util.Map.of("Content-Type", "application/json", "retry-after", "7"),
                    "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}"))
            .handler("/openai", Fakes.canned(429, java.util.Map.of("Content-Type", "application/json", "x-ms-retry-after-ms", "2500"),
                    "{\"error\":{\"message\":\"Requests to the deployment have exceeded the rate limit\",\"code\":\"429\"}}"))
            .build();

    @RegisterExtension
    final FakeUpstream overloaded = FakeUpstream.of((request, response) -> {
        response.status(200).header("Content-Type", "text/event-stream");
        response.write("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    });

    @RegisterExtension
    final FakeUpstream silent = FakeUpstream.of((request, response) -> {
        response.status(200).header("Content-Type", "text/event-stream");
        response.write(": connected\n\n");
        Thread.sleep(2000);
    });

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("llm").pathPrefix("/v1")
            .backend(LlmBackend.builder()
                    .provider(LlmProvider.openAiCompatible("healthy", healthy.url() + "/v1"))
                    .provider(LlmProvider.anthropic("strict", "k").baseUrl(badRequest.url()))
                    .provider(LlmProvider.anthropic("broken", "k").baseUrl(broken.url()))
                    .provider(LlmProvider.openAiCompatible("limited", limited.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("slow", slow.url() + "/v1").timeout(Duration.ofMillis(300)))
                    .provider(LlmProvider.openAiCompatible("down", "http://127.0.0.1:1/v1"))
                    .provider(LlmProvider.anthropic("overloaded", "k").baseUrl(overloaded.url()))
                    .provider(LlmProvider.openAiCompatible("later", retryLater.url() + "/v1"))
                    .provider(LlmProvider.azureOpenAi("azure-later", retryLater.url(), "k"))
                    .provider(LlmProvider.openAiCompatible("silent", silent.url() + "/v1").timeout(Duration.ofMillis(300)))
                    .model("stream-fallback", ModelTarget.of("overloaded/claude-x"), ModelTarget.of("healthy/m").priority(1))
                    .model("silent-fallback", ModelTarget.of("silent/m"), ModelTarget.of("healthy/m").priority(1))
                    .model("fallback", ModelTarget.of("limited/gpt-4o"), ModelTarget.of("healthy/m").priority(1))
                    .model("unreachable-first", ModelTarget.of("down/m"), ModelTarget.of("healthy/m").priority(1))
                    .model("doomed", "broken/claude-x")
                    .maxAttempts(3)
                    .ejection(2, Duration.ofMinutes(5))
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    private static final String HI = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void malformedJsonIsA400InOpenAiShape() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\": \"x\", ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(answer.body().path("error").path("message").asText()).contains("not valid JSON");
        assertThat(answer.body().path("error").has("param")).isTrue();
        assertThat(answer.body().path("error").has("code")).isTrue();
    }

    @Test
    void aBodyThatIsNotAnObjectIsA400() throws Exception {
        var answer = client.post("/v1/chat/completions", "[1,2]");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").path("message").asText()).contains("must be a JSON object");
    }

    @Test
    void anUnknownModelIsA404ListingTheAvailableModels() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"gpt-17\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(answer.body().path("error").path("message").asText())
                .contains("gpt-17").contains("fallback").contains("unreachable-first").contains("doomed");
    }

    @Test
    void anUpstream4xxIsTranslatedWithItsMessage() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"strict/claude-x\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").path("message").asText())
                .isEqualTo("messages: roles must alternate between \"user\" and \"assistant\"");
        assertThat(answer.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void anUpstream5xxIsTranslatedWithItsMessage() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"doomed\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body().path("error").path("message").asText()).isEqualTo("Internal server error");
        assertThat(answer.body().path("error").path("type").asText()).isEqualTo("api_error");
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIsA504() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"slow/m\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("upstream_timeout");
        assertThat(answer.body().path("error").path("message").asText()).contains("300 ms");
    }

    @Test
    void a429FailsOverToTheNextPriority() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"fallback\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("fine");
        assertThat(limited.requests()).hasSize(1);
        assertThat(healthy.requests()).hasSize(1);
    }

    @Test
    void aConnectionFailureFailsOverToTheNextPriority() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"unreachable-first\",\"stream\":true," + HI + "}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).contains("fine").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aStreamThatBeginsWithAnErrorEventFailsOverBeforeTheClientSeesAnything() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"stream-fallback\",\"stream\":true," + HI + "}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).contains("\"content\":\"fine\"").doesNotContain("Overloaded").endsWith("data: [DONE]\n\n");
        assertThat(overloaded.requests()).hasSize(1);
    }

    @Test
    void aStreamThatStaysSilentPastTheTimeoutFailsOver() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"silent-fallback\",\"stream\":true," + HI + "}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text()).contains("\"content\":\"fine\"");
    }

    @Test
    void aSilentStreamWithNoFallbackIsA504() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"silent/m\",\"stream\":true," + HI + "}");
        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void theProvidersRetryAfterReachesTheClient() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"later/m\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.body().path("error").path("message").asText()).isEqualTo("Rate limit reached");
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        var response = gateway.httpClient().send(java.net.http.HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"azure-later/d\"," + HI + "}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).as("Azure's x-ms-retry-after-ms, rounded up").hasValue("3");
        var direct = gateway.httpClient().send(java.net.http.HttpRequest.newBuilder(gateway.uri("/v1/chat/completions"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"later/m\"," + HI + "}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(direct.headers().firstValue("Retry-After")).hasValue("7");
    }

    @Test
    void aProviderThatKeepsFailingIsEjectedAndThenNoHealthyProviderIsA503() throws Exception {
        assertThat(client.post("/v1/chat/completions", "{\"model\":\"doomed\"," + HI + "}").status()).isEqualTo(500);
        assertThat(client.post("/v1/chat/completions", "{\"model\":\"doomed\"," + HI + "}").status()).isEqualTo(500);
        var answer = client.post("/v1/chat/completions", "{\"model\":\"doomed\"," + HI + "}");
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("no_healthy_provider");
        assertThat(broken.requests()).as("the ejected provider is not called").hasSize(2);
    }

    @Test
    void anUnknownEndpointIsA404AndAWrongMethodA405() throws Exception {
        var unknown = client.post("/v1/completions/legacy", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("message").asText()).contains("/v1/chat/completions");
        var method = client.get("/v1/chat/completions");
        assertThat(method.status()).isEqualTo(405);
    }

    @Test
    void aMissingMessagesArrayIsA400NamingTheParameter() throws Exception {
        var answer = client.post("/v1/chat/completions", "{\"model\":\"strict/claude-x\"}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").path("param").asText()).isEqualTo("messages");
    }
}
