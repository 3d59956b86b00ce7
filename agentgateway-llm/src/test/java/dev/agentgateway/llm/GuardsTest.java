package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.SseStream;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Regex guards mask and reject in requests, responses and streams; the webhook guard allows, rejects and rewrites. */
class GuardsTest {
    private final SseStream manual = new SseStream();

    @RegisterExtension
    final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(call -> call.lastUserText().contains("leak")
            ? FakeReply.text("Write to alice@example.com today")
            : call.lastUserText().contains("card") ? FakeReply.text("Use 4111 1111 1111 1111 please") : FakeReply.text("ok: " + call.lastUserText())));

    @RegisterExtension
    final FakeUpstream paced = FakeUpstream.of(Fakes.sse(manual));

    @RegisterExtension
    final FakeUpstream webhook = FakeUpstream.of((request, response) -> {
        String body = request.bodyText();
        String answer = body.contains("forbidden topic") ? "{\"action\":\"reject\",\"status\":400,\"message\":\"Off-topic request\"}"
                : body.contains("rewrite me") ? "{\"action\":\"rewrite\",\"messages\":[{\"role\":\"user\",\"content\":\"rewritten\"}]}"
                : body.contains("break") ? "not json"
                : "{\"action\":\"allow\"}";
        response.status(200).header("Content-Type", "application/json").write(answer);
    });

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("llm").pathPrefix("/v1")
            .backend(LlmBackend.builder()
                    .provider(LlmProvider.openAiCompatible("openai", openai.url() + "/v1"))
                    .provider(LlmProvider.openAiCompatible("paced", paced.url() + "/v1"))
                    .guard(RegexGuard.builder()
                            .mask(RegexGuard.EMAIL)
                            .reject(RegexGuard.CARD_NUMBER)
                            .build())
                    .guard(WebhookGuard.builder().url(webhook.url() + "/check").timeout(Duration.ofSeconds(2)).build())
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    private static String ask(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\"," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    @Test
    void emailAddressesInRequestsAreMaskedBeforeTheProvider() throws Exception {
        var answer = client.post("/v1/chat/completions", ask("openai/m", "mail bob.smith@corp.example.org now", false));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(openai.lastRequest().bodyText()).doesNotContain("bob.smith").contains("mail <EMAIL> now");
    }

    @Test
    void cardNumbersInRequestsAreRejectedAndTheProviderIsNotCalled() throws Exception {
        var answer = client.post("/v1/chat/completions", ask("openai/m", "my card is 4111-1111-1111-1111", false));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("guardrail_rejected");
        assertThat(answer.body().path("error").path("message").asText()).contains("card number");
        assertThat(openai.requests()).isEmpty();
    }

    @Test
    void numbersThatFailTheLuhnCheckAreNotCardNumbers() throws Exception {
        var answer = client.post("/v1/chat/completions", ask("openai/m", "order 4111 1111 1111 1112", false));
        assertThat(answer.status()).isEqualTo(200);
    }

    @Test
    void responsesAreMaskedAndRejected() throws Exception {
        var masked = client.post("/v1/chat/completions", ask("openai/m", "leak it", false));
        assertThat(masked.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("Write to <EMAIL> today");
        var rejected = client.post("/v1/chat/completions", ask("openai/m", "which card", false));
        assertThat(rejected.status()).isEqualTo(403);
        assertThat(rejected.body().path("error").path("message").asText()).contains("response was rejected");
    }

    @Test
    void streamsAreMaskedEvenWhenTheAddressIsSplitAcrossChunks() throws Exception {
        var pending = client.streamAsync("/v1/chat/completions", ask("paced/m", "hi", true));
        assertThat(manual.awaitConnected(Duration.ofSeconds(5))).isTrue();
        for (String piece : List.of("Contact ", "carol@exa", "mple.com", " or call", ".")) {
            manual.send("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                    + piece + "\"},\"finish_reason\":null}]}");
        }
        manual.send("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
        manual.send("[DONE]");
        manual.end();
        HttpResponse<InputStream> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        StringBuilder text = new StringBuilder();
        List<String> raw = new ArrayList<>();
        for (String[] event : LlmTestClient.events(response.body())) {
            raw.add(event[1]);
            JsonNode chunk = LlmTestClient.parse(event[1]);
            if (chunk != null) {
                chunk.path("choices").forEach(c -> text.append(c.path("delta").path("content").asText("")));
            }
        }
        assertThat(text.toString()).isEqualTo("Contact <EMAIL> or call.");
        assertThat(String.join("\n", raw)).doesNotContain("carol").doesNotContain("exa").contains("[DONE]");
    }

    @Test
    void plainTextStillFlowsBeforeTheStreamEnds() throws Exception {
        var pending = client.streamAsync("/v1/chat/completions", ask("paced/m", "hi", true));
        assertThat(manual.awaitConnected(Duration.ofSeconds(5))).isTrue();
        manual.send("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello there, \"},\"finish_reason\":null}]}");
        HttpResponse<InputStream> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // "Hello there, " cannot start an address or a card number: it is passed on at once.
            assertThat(LlmTestClient.parse(LlmTestClient.nextEvent(reader)[1]).path("choices").path(0).path("delta").path("content").asText())
                    .isEqualTo("Hello there, ");
            manual.send("[DONE]");
            manual.end();
        }
    }

    @Test
    void aCardNumberInAStreamEndsItWithAnErrorAndCancelsTheProvider() throws Exception {
        var pending = client.streamAsync("/v1/chat/completions", ask("paced/m", "hi", true));
        assertThat(manual.awaitConnected(Duration.ofSeconds(5))).isTrue();
        for (String piece : List.of("Card: ", "4111 1111 ", "1111 1111", " thanks")) {
            manual.send("{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                    + piece + "\"},\"finish_reason\":null}]}");
        }
        HttpResponse<InputStream> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        List<String> raw = new ArrayList<>();
        for (String[] event : LlmTestClient.events(response.body())) {
            raw.add(event[1]);
        }
        String all = String.join("\n", raw);
        assertThat(all).doesNotContain("4111").contains("guardrail_rejected");
        assertThat(manual.awaitFinished(Duration.ofSeconds(5))).as("the provider stream was cancelled").isTrue();
    }

    @Test
    void theWebhookCanRejectRewriteOrAllow() throws Exception {
        var rejected = client.post("/v1/chat/completions", ask("openai/m", "a forbidden topic", false));
        assertThat(rejected.status()).isEqualTo(400);
        assertThat(rejected.body().path("error").path("message").asText()).isEqualTo("Off-topic request");

        var rewritten = client.post("/v1/chat/completions", ask("openai/m", "rewrite me", false));
        assertThat(rewritten.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("ok: rewritten");

        var allowed = client.post("/v1/chat/completions", ask("openai/m", "fine", false));
        assertThat(allowed.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("ok: fine");
        assertThat(LlmTestClient.parse(webhook.lastRequest().bodyText()).path("messages").path(0).path("content").asText()).isEqualTo("fine");
    }

    @Test
    void aWebhookThatFailsRejectsTheRequest() throws Exception {
        var answer = client.post("/v1/chat/completions", ask("openai/m", "break it", false));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("guardrail_unavailable");
    }
}
