package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Weighted groups, the default model, the retry budget, the ejection cool-down, authentication options. */
class RoutingTest {

    @RegisterExtension
    final FakeUpstream heavy = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("heavy")));

    @RegisterExtension
    final FakeUpstream light = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("light")));

    @RegisterExtension
    final FakeUpstream limited = FakeUpstream.of(FakeOpenAi.replying(FakeReply.error(429, "slow down")));

    @RegisterExtension
    final FakeUpstream flaky = FakeUpstream.of(FakeOpenAi.responder(call -> call.lastUserText().equals("fail")
            ? FakeReply.error(503, "unavailable") : FakeReply.text("recovered")));

    @RegisterExtension
    final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.replying(FakeReply.text("claude")));

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("llm").pathPrefix("/v1").backend(LlmBackend.builder()
                    .provider(LlmProvider.openAiCompatible("heavy", heavy.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("light", light.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("limited", limited.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("flaky", flaky.url() + "/v1"))
                    .provider(LlmProvider.azureOpenAi("entra", heavy.url()).accessToken(() -> "entra-token"))
                    .provider(LlmProvider.anthropic("bearer", "ant-key").bearerAuth(true).baseUrl(anthropic.url()))
                    .model("weighted", ModelTarget.of("heavy/m").weight(3), ModelTarget.of("light/m"))
                    .model("limited-first", ModelTarget.of("limited/m"), ModelTarget.of("light/m").priority(1))
                    .defaultModel("light/default-model")
                    .ejection(1, Duration.ofMillis(1500))
                    .build()))
            .route(Route.builder("no-budget").pathPrefix("/strict").backend(LlmBackend.builder()
                    .provider(LlmProvider.openAiCompatible("limited", limited.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("light", light.url() + "/v1"))
                    .model("limited-first", ModelTarget.of("limited/m"), ModelTarget.of("light/m").priority(1))
                    .retryBudget(0, 0)
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    private static String ask(String model, String text) {
        return "{" + (model == null ? "" : "\"model\":\"" + model + "\",") + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void weightsShareTrafficWithinAPriority() throws Exception {
        int heavyCount = 0;
        for (int i = 0; i < 200; i++) {
            var answer = client.post("/v1/chat/completions", ask("weighted", "x"));
            if (answer.body().path("choices").path(0).path("message").path("content").asText().equals("heavy")) {
                heavyCount++;
            }
        }
        // Expected 150 of 200 (weight 3 of 4); 35 is about six standard deviations.
        assertThat(heavyCount).isBetween(115, 185);
    }

    @Test
    void aRequestWithoutAModelGoesToTheDefaultModel() throws Exception {
        var answer = client.post("/v1/chat/completions", ask(null, "x"));
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("light");
        assertThat(LlmTestClient.parse(light.lastRequest().bodyText()).path("model").asText()).isEqualTo("default-model");
    }

    @Test
    void aSpentRetryBudgetPassesTheFailureOnInsteadOfFailingOver() throws Exception {
        var withBudget = client.post("/v1/chat/completions", ask("limited-first", "x"));
        assertThat(withBudget.status()).isEqualTo(200);

        var withoutBudget = client.post("/strict/v1/chat/completions", ask("limited-first", "x"));
        assertThat(withoutBudget.status()).isEqualTo(429);
        assertThat(withoutBudget.body().path("error").path("message").asText()).isEqualTo("slow down");
        assertThat(withoutBudget.body().path("error").path("type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void anEjectedProviderComesBackAfterItsCoolDown() throws Exception {
        assertThat(client.post("/v1/chat/completions", ask("flaky/m", "fail")).status()).isEqualTo(503);
        var ejected = client.post("/v1/chat/completions", ask("flaky/m", "hello"));
        assertThat(ejected.status()).isEqualTo(503);
        assertThat(ejected.body().path("error").path("code").asText()).isEqualTo("no_healthy_provider");
        Thread.sleep(2500);
        var back = client.post("/v1/chat/completions", ask("flaky/m", "hello"));
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("recovered");
    }

    @Test
    void azureCanUseAnEntraTokenAndAnthropicABearerKey() throws Exception {
        assertThat(client.post("/v1/chat/completions", ask("entra/dep", "x")).status()).isEqualTo(200);
        assertThat(heavy.lastRequest().header("Authorization")).isEqualTo("Bearer entra-token");
        assertThat(heavy.lastRequest().header("api-key")).isNull();

        assertThat(client.post("/v1/chat/completions", ask("bearer/claude-x", "x")).status()).isEqualTo(200);
        assertThat(anthropic.lastRequest().header("Authorization")).isEqualTo("Bearer ant-key");
        assertThat(anthropic.lastRequest().header("x-api-key")).isNull();
    }
}
