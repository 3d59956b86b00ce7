package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.TokenUsage;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.SseStream;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import io.micrometer.core.instrument.DistributionSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The OpenAI front over OpenAI and Anthropic providers: answers, streams, usage, metrics. */
class ChatCompletionsTest {
    private final SseStream manual = new SseStream();
    private final List<TokenUsage> usages = new CopyOnWriteArrayList<>();
    private final List<Operation> operations = new CopyOnWriteArrayList<>();

    @RegisterExtension
    final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(call ->
            FakeReply.text("echo: " + call.lastUserText()).usage(7, 3)));

    @RegisterExtension
    final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.responder(call -> call.lastUserText().equals("weather?")
            ? FakeReply.toolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}").usage(20, 9)
            : FakeReply.text("Hello from Claude").usage(12, 4).cached(2)));

    @RegisterExtension
    final FakeUpstream paced = FakeUpstream.of(Fakes.sse(manual));

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("llm").pathPrefix("/v1")
            .policy((exchange, next) -> {
                operations.add(exchange.attribute(Operation.KEY));
                exchange.onComplete(failure -> {
                    TokenUsage usage = exchange.attribute(TokenUsage.KEY);
                    if (usage != null) {
                        usages.add(usage);
                    }
                });
                return next.proceed(exchange);
            })
            .backend(LlmBackend.builder()
                    .provider(LlmProvider.openAi("openai", "sk-test").baseUrl(openai.url() + "/v1").models("gpt-4o-mini"))
                    .provider(LlmProvider.anthropic("claude", "ant-test").baseUrl(anthropic.url()))
                    .provider(LlmProvider.anthropic("paced", "ant-test").baseUrl(paced.url()))
                    .model("fast", "claude/claude-haiku-4-5")
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    @Test
    void anOpenAiRequestIsAnsweredByAnthropicInOpenAiShape() throws Exception {
        var answer = client.post("/v1/chat/completions", """
                {"model":"fast","max_tokens":100,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]}""");

        assertThat(answer.status()).isEqualTo(200);
        JsonNode body = answer.body();
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hello from Claude");
        assertThat(body.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(16);
        assertThat(body.path("usage").path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(2);

        var upstream = anthropic.lastRequest();
        assertThat(upstream.path()).isEqualTo("/v1/messages");
        assertThat(upstream.header("x-api-key")).isEqualTo("ant-test");
        assertThat(upstream.header("anthropic-version")).isEqualTo("2023-06-01");
        JsonNode sent = LlmTestClient.parse(upstream.bodyText());
        assertThat(sent.path("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(sent.path("system").asText()).isEqualTo("be brief");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(100);
    }

    @Test
    void toolCallsComeBackAsOpenAiToolCalls() throws Exception {
        var answer = client.post("/v1/chat/completions", """
                {"model":"fast","messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}""");

        JsonNode choice = answer.body().path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText()).isEqualTo("call_1");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(LlmTestClient.parse(call.path("function").path("arguments").asText()))
                .isEqualTo(LlmTestClient.parse("{\"city\":\"Paris\",\"unit\":\"celsius\"}"));
        JsonNode sent = LlmTestClient.parse(anthropic.lastRequest().bodyText());
        assertThat(sent.path("max_tokens").asInt()).as("Anthropic requires max_tokens: the default is applied").isEqualTo(4096);
        assertThat(sent.path("tools").path(0).path("input_schema").path("type").asText()).isEqualTo("object");
    }

    @Test
    void openAiProvidersGetTheRequestWithOnlyTheModelReplaced() throws Exception {
        var answer = client.post("/v1/chat/completions", """
                {"model":"gpt-4o-mini","messages":[{"role":"user","content":"ping"}],"logit_bias":{"50256":-100},"custom_field":{"kept":true}}""");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("echo: ping");
        var upstream = openai.lastRequest();
        assertThat(upstream.path()).isEqualTo("/v1/chat/completions");
        assertThat(upstream.header("Authorization")).isEqualTo("Bearer sk-test");
        JsonNode sent = LlmTestClient.parse(upstream.bodyText());
        assertThat(sent.path("custom_field").path("kept").asBoolean()).isTrue();
        assertThat(sent.path("logit_bias").path("50256").asInt()).isEqualTo(-100);
    }

    @Test
    void providerSlashModelReachesAnyModelOfAProvider() throws Exception {
        var answer = client.post("/v1/chat/completions", """
                {"model":"openai/gpt-5","messages":[{"role":"user","content":"x"}]}""");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(LlmTestClient.parse(openai.lastRequest().bodyText()).path("model").asText()).isEqualTo("gpt-5");
    }

    @Test
    void aStreamFromAnthropicArrivesAsOpenAiChunksWithUsageWhenAsked() throws Exception {
        HttpResponse<InputStream> response = client.stream("/v1/chat/completions", """
                {"model":"fast","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String[]> events = LlmTestClient.events(response.body());

        assertThat(events.get(events.size() - 1)[1]).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        JsonNode usage = null;
        String finish = null;
        for (String[] event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = LlmTestClient.parse(event[1]);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                if (!choice.path("finish_reason").isNull()) {
                    finish = choice.path("finish_reason").asText();
                }
            }
            if (chunk.has("usage") && !chunk.get("usage").isNull()) {
                usage = chunk.get("usage");
                assertThat(chunk.path("choices").isEmpty()).isTrue();
            }
        }
        assertThat(text.toString()).isEqualTo("Hello from Claude");
        assertThat(finish).isEqualTo("stop");
        assertThat(usage).isNotNull();
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(12);
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(4);
        assertThat(LlmTestClient.parse(anthropic.lastRequest().bodyText()).path("stream").asBoolean()).isTrue();
    }

    @Test
    void theUsageChunkIsLeftOutWhenTheClientDidNotAskButStillCounted() throws Exception {
        HttpResponse<InputStream> response = client.stream("/v1/chat/completions", """
                {"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"a b c"}]}""");
        List<String[]> events = LlmTestClient.events(response.body());
        for (String[] event : events.subList(0, events.size() - 1)) {
            JsonNode chunk = LlmTestClient.parse(event[1]);
            assertThat(chunk.has("usage")).as("chunk %s", event[1]).isFalse();
            assertThat(chunk.path("choices").isEmpty()).isFalse();
        }
        JsonNode sent = LlmTestClient.parse(openai.lastRequest().bodyText());
        assertThat(sent.path("stream_options").path("include_usage").asBoolean())
                .as("the gateway always asks for usage upstream").isTrue();
        awaitUsages(1);
        assertThat(usages.get(0).inputTokens()).isEqualTo(7);
        assertThat(usages.get(0).outputTokens()).isEqualTo(3);
    }

    @Test
    void eachTranslatedChunkReachesTheClientBeforeTheProviderSendsTheNext() throws Exception {
        var pending = client.streamAsync("/v1/chat/completions", """
                {"model":"paced/claude-x","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        assertThat(manual.awaitConnected(Duration.ofSeconds(5))).isTrue();
        manual.send("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}");
        HttpResponse<InputStream> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(LlmTestClient.nextEvent(reader)[1]).contains("\"role\":\"assistant\"");
            for (int i = 0; i < 3; i++) {
                manual.send("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"part" + i + "\"}}");
                // The provider sends the next event only after this one came out of the gateway.
                assertThat(LlmTestClient.parse(LlmTestClient.nextEvent(reader)[1]).path("choices").path(0).path("delta")
                        .path("content").asText()).isEqualTo("part" + i);
            }
            manual.send("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":3}}");
            assertThat(LlmTestClient.nextEvent(reader)[1]).contains("\"finish_reason\":\"stop\"");
            manual.send("{\"type\":\"message_stop\"}");
            manual.end();
            assertThat(LlmTestClient.nextEvent(reader)[1]).isEqualTo("[DONE]");
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheProviderStream() throws Exception {
        var pending = client.streamAsync("/v1/chat/completions", """
                {"model":"paced/claude-x","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        assertThat(manual.awaitConnected(Duration.ofSeconds(5))).isTrue();
        manual.send("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\",\"usage\":{\"input_tokens\":3}}}");
        HttpResponse<InputStream> response = pending.get(5, java.util.concurrent.TimeUnit.SECONDS);
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(LlmTestClient.nextEvent(reader)).isNotNull();
        reader.close();
        response.body().close();
        // Keep sending: the provider stream must be torn down by the gateway, not left running.
        for (int i = 0; i < 50 && !manual.awaitFinished(Duration.ofMillis(100)); i++) {
            manual.send("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"more\"}}");
        }
        assertThat(manual.awaitFinished(Duration.ofSeconds(5))).isTrue();
        assertThat(manual.clientGone()).isTrue();
    }

    @Test
    void usageIsRecordedWithGenAiNamesAndOnTheExchange() throws Exception {
        client.post("/v1/chat/completions", """
                {"model":"fast","messages":[{"role":"user","content":"hi"}]}""");
        awaitUsages(1);
        TokenUsage usage = usages.get(0);
        assertThat(usage.provider()).isEqualTo("claude");
        assertThat(usage.providerKind()).isEqualTo("anthropic");
        assertThat(usage.requestModel()).isEqualTo("claude-haiku-4-5");
        assertThat(usage.responseModel()).isEqualTo("claude-haiku-4-5");
        assertThat(usage.inputTokens()).isEqualTo(12);
        assertThat(usage.outputTokens()).isEqualTo(4);
        assertThat(usage.totalTokens()).isEqualTo(16);
        assertThat(usage.cachedInputTokens()).isEqualTo(2);

        DistributionSummary input = gateway.meterRegistry().find("gen_ai.client.token.usage")
                .tag("gen_ai.token.type", "input").tag("gen_ai.provider.name", "anthropic")
                .tag("gen_ai.request.model", "claude-haiku-4-5").tag("gen_ai.response.model", "claude-haiku-4-5")
                .summary();
        assertThat(input).isNotNull();
        assertThat(input.totalAmount()).isEqualTo(12);
        assertThat(gateway.meterRegistry().find("gen_ai.client.token.usage").tag("gen_ai.token.type", "output")
                .summary().totalAmount()).isEqualTo(4);
        assertThat(gateway.meterRegistry().find("gen_ai.client.operation.duration").tag("gen_ai.provider.name", "anthropic")
                .timer().count()).isEqualTo(1);
        assertThat(operations.get(0)).isEqualTo(new Operation("llm", "use_model", "Model", "fast",
                java.util.Map.of("endpoint", "chat/completions", "stream", false, "api", "openai")));
    }

    @Test
    void timeToFirstChunkIsRecordedForStreams() throws Exception {
        HttpResponse<InputStream> response = client.stream("/v1/chat/completions", """
                {"model":"fast","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        LlmTestClient.events(response.body());
        awaitUsages(1);
        assertThat(gateway.meterRegistry().find("gen_ai.client.operation.time_to_first_chunk").timer().count()).isEqualTo(1);
    }

    @Test
    void modelsListsAliasesAndDeclaredModels() throws Exception {
        var answer = client.get("/v1/models");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("object").asText()).isEqualTo("list");
        assertThat(answer.body().path("data").findValuesAsText("id")).containsExactly("fast", "gpt-4o-mini");
        assertThat(answer.body().path("data").path(0).path("owned_by").asText()).isEqualTo("claude");
    }

    @Test
    void embeddingsGoToProvidersThatOfferThem() throws Exception {
        var answer = client.post("/v1/embeddings", """
                {"model":"gpt-4o-mini","input":["a","b"]}""");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("data")).hasSize(2);
        assertThat(openai.lastRequest().path()).isEqualTo("/v1/embeddings");

        var refused = client.post("/v1/embeddings", """
                {"model":"fast","input":"a"}""");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().path("error").path("message").asText()).contains("does not serve embeddings");
    }

    private void awaitUsages(int count) throws InterruptedException {
        for (int i = 0; i < 100 && usages.size() < count; i++) {
            Thread.sleep(20);
        }
        assertThat(usages).hasSizeGreaterThanOrEqualTo(count);
    }
}
