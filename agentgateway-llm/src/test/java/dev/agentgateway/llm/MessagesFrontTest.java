package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.TokenUsage;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeBedrock;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Anthropic Messages front: passed through untranslated to Anthropic providers (every field kept,
 * the client's version forwarded), translated for others (Bedrock here), errors in Anthropic's shape.
 */
class MessagesFrontTest {
    private static final List<TokenUsage> USAGES = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.responder(OfficialClientsTest::answer));

    @RegisterExtension
    static final FakeUpstream bedrock = FakeUpstream.of(FakeBedrock.builder().credentials("AKID", "secret")
            .responder(call -> FakeReply.text("from bedrock").usage(8, 2)).build());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("claude").pathPrefix("/claude")
                    .policy((exchange, next) -> {
                        exchange.onComplete(failure -> {
                            if (exchange.attribute(TokenUsage.KEY) != null) {
                                USAGES.add(exchange.attribute(TokenUsage.KEY));
                            }
                        });
                        return next.proceed(exchange);
                    })
                    .backend(LlmBackend.builder()
                            .provider(LlmProvider.anthropic("anthropic", "ant-key").baseUrl(anthropic.url()))
                            .provider(LlmProvider.bedrock("aws", "us-east-1", "AKID", "secret").baseUrl(bedrock.url()))
                            .model("fast", "anthropic/claude-haiku-4-5")
                            .model("aws", "aws/anthropic.claude-3-haiku-20240307-v1:0")
                            .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    @Test
    void theAnthropicSdkTalksToAnthropicThroughThePassThrough() throws Exception {
        JsonNode r = NodeScript.run("anthropic-client.mjs", Map.of(), gateway.uri("/claude").toString());

        assertThat(r.path("text").asText()).isEqualTo("You said: hello gateway");
        assertThat(r.path("usage").path("input_tokens").asInt()).isEqualTo(11);
        assertThat(r.path("stream").asText()).isEqualTo("You said: stream please");
        assertThat(r.path("streamUsage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(r.path("toolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("streamedToolInput").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("followUp").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(r.path("notFoundStatus").asInt()).isEqualTo(404);

        var first = anthropic.requests().get(0);
        assertThat(first.header("x-api-key")).isEqualTo("ant-key");
        assertThat(first.header("anthropic-version")).as("the client's version is forwarded").isEqualTo("2026-10-21");
        JsonNode body = LlmTestClient.parse(first.bodyText());
        assertThat(body.path("system").asText()).as("the body is the client's, untranslated").isEqualTo("be brief");
        assertThat(body.path("model").asText()).isEqualTo("claude-haiku-4-5");
    }

    @Test
    void theClassicAnthropicSdkWithXApiKeyAndTheOldVersionWorksToo() throws Exception {
        JsonNode r = NodeScript.run("anthropic-client.mjs", Map.of(), gateway.uri("/claude").toString(), "classic");
        assertThat(r.path("text").asText()).isEqualTo("You said: hello gateway");
        assertThat(r.path("stream").asText()).isEqualTo("You said: stream please");
        assertThat(r.path("streamedToolInput").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("notFoundType").asText()).isEqualTo("not_found_error");
        var first = anthropic.requests().get(0);
        assertThat(first.header("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(first.header("x-api-key")).as("the provider gets the gateway's key, not the client's").isEqualTo("ant-key");
    }

    @Test
    void everyFieldReachesAnthropicUnchanged() throws Exception {
        var answer = client.post("/claude/v1/messages", """
                {"model":"fast","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},"top_k":5,
                 "system":[{"type":"text","text":"long context","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral","ttl":"1h"}}]}],
                 "service_tier":"auto","container":"c-1"}""");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("type").asText()).isEqualTo("message");
        JsonNode sent = LlmTestClient.parse(anthropic.lastRequest().bodyText());
        assertThat(sent.path("thinking").path("budget_tokens").asInt()).isEqualTo(1024);
        assertThat(sent.path("system").path(0).path("cache_control").path("type").asText()).isEqualTo("ephemeral");
        assertThat(sent.path("messages").path(0).path("content").path(0).path("cache_control").path("ttl").asText()).isEqualTo("1h");
        assertThat(sent.path("container").asText()).isEqualTo("c-1");
        assertThat(anthropic.lastRequest().header("anthropic-version")).isEqualTo("2023-06-01");
        for (int i = 0; i < 50 && USAGES.isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(USAGES).isNotEmpty();
        assertThat(USAGES.get(USAGES.size() - 1).inputTokens()).isEqualTo(11);
    }

    @Test
    void messagesToBedrockAreTranslatedBothWays() throws Exception {
        var answer = client.post("/claude/v1/messages", """
                {"model":"aws","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("content").path(0).path("text").asText()).isEqualTo("from bedrock");
        assertThat(answer.body().path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(answer.body().path("usage").path("input_tokens").asInt()).isEqualTo(8);

        HttpResponse<String> stream = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/claude/v1/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"model":"aws","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}"""))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stream.body()).startsWith("event: message_start").contains("event: content_block_delta")
                .contains("\"text\":\"from \"").contains("\"stop_reason\":\"end_turn\"").endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    @Test
    void errorsAreInAnthropicsShape() throws Exception {
        var malformed = client.post("/claude/v1/messages", "{\"model\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().path("type").asText()).isEqualTo("error");
        assertThat(malformed.body().path("error").path("type").asText()).isEqualTo("invalid_request_error");

        var noMaxTokens = client.post("/claude/v1/messages", "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(noMaxTokens.status()).isEqualTo(400);
        assertThat(noMaxTokens.body().path("error").path("message").asText()).contains("max_tokens");

        var unknown = client.post("/claude/v1/messages", "{\"model\":\"nope\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error").path("type").asText()).isEqualTo("not_found_error");
    }
}
