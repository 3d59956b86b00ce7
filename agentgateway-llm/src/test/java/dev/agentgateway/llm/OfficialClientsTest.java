package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import dev.agentgateway.test.llm.FakeLlmCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official SDKs from npm (pinned in {@code src/test/js/package.json}) against the gateway:
 * {@code openai} 6.49.0 on the OpenAI front with Anthropic behind it, {@code @anthropic-ai/sdk} 1.12.0
 * on the Messages front with OpenAI behind it. Both translations, both directions, streams and tools.
 */
class OfficialClientsTest {

    static FakeReply answer(FakeLlmCall call) {
        String body = call.body().toString();
        if (body.contains("tool_result") || body.contains("\"role\":\"tool\"")) {
            return FakeReply.text("It is sunny in Paris.").usage(30, 6);
        }
        if (call.lastUserText().equals("weather?")) {
            return FakeReply.toolCall("get_weather", "{\"city\":\"Paris\"}").usage(25, 8);
        }
        return FakeReply.text("You said: " + call.lastUserText()).usage(11, 5);
    }

    @RegisterExtension
    static final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.responder(OfficialClientsTest::answer));

    @RegisterExtension
    static final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(OfficialClientsTest::answer));

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("openai-front").pathPrefix("/oa").backend(LlmBackend.builder()
                    .provider(LlmProvider.anthropic("claude", "ant-key").baseUrl(anthropic.url()))
                    .model("fast", "claude/claude-haiku-4-5")
                    .build()))
            .route(Route.builder("anthropic-front").pathPrefix("/an").backend(LlmBackend.builder()
                    .provider(LlmProvider.openAi("openai", "sk-key").baseUrl(openai.url() + "/v1"))
                    .model("fast", "openai/gpt-4o-mini")
                    .build())));

    @Test
    void theOpenAiSdkTalksToAnthropicThroughTheGateway() throws Exception {
        JsonNode r = NodeScript.run("openai-client.mjs", Map.of(), gateway.uri("/oa").toString());

        assertThat(r.path("chat").asText()).isEqualTo("You said: hello gateway");
        assertThat(r.path("chatFinish").asText()).isEqualTo("stop");
        assertThat(r.path("chatUsage").path("prompt_tokens").asInt()).isEqualTo(11);
        assertThat(r.path("chatUsage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(r.path("stream").asText()).isEqualTo("You said: stream please");
        assertThat(r.path("streamChunks").asInt()).as("one chunk per word, plus role, finish and usage").isGreaterThan(4);
        assertThat(r.path("streamUsage").path("total_tokens").asInt()).isEqualTo(16);
        assertThat(r.path("toolFinish").asText()).isEqualTo("tool_calls");
        assertThat(r.path("toolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("toolArgs").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("streamedToolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("streamedToolArgs").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("followUp").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(r.path("notFoundStatus").asInt()).isEqualTo(404);
        assertThat(r.path("notFoundMessage").asText()).contains("no-such-model").contains("fast");
        assertThat(r.path("models").get(0).asText()).isEqualTo("fast");

        // What Anthropic received for the tool-result turn: a user message with a tool_result block.
        JsonNode last = LlmTestClient.parse(anthropic.requests().stream()
                .map(request -> {
                    try {
                        return request.bodyText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(text -> text.contains("tool_result")).findFirst().orElseThrow());
        JsonNode messages = last.path("messages");
        assertThat(messages.get(1).path("content").get(0).path("type").asText()).isEqualTo("tool_use");
        assertThat(messages.get(2).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(2).path("content").get(0).path("type").asText()).isEqualTo("tool_result");
        assertThat(messages.get(2).path("content").get(0).path("content").asText()).isEqualTo("sunny, 24 C");
    }

    @Test
    void theAnthropicSdkTalksToOpenAiThroughTheGateway() throws Exception {
        JsonNode r = NodeScript.run("anthropic-client.mjs", Map.of(), gateway.uri("/an").toString());

        assertThat(r.path("type").asText()).isEqualTo("message");
        assertThat(r.path("text").asText()).isEqualTo("You said: hello gateway");
        assertThat(r.path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(r.path("usage").path("input_tokens").asInt()).isEqualTo(11);
        assertThat(r.path("usage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(r.path("stream").asText()).isEqualTo("You said: stream please");
        assertThat(r.path("streamFinalText").asText()).isEqualTo("You said: stream please");
        List<String> events = List.of(LlmTestClient.JSON.convertValue(r.path("streamEvents"), String[].class));
        assertThat(events).contains("message_start", "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(r.path("streamUsage").path("output_tokens").asInt()).isEqualTo(5);
        assertThat(r.path("streamUsage").path("input_tokens").asInt()).as("the upstream's prompt tokens, sent in message_delta: " + r.path("streamUsage"))
                .isEqualTo(11);
        assertThat(r.path("streamStopReason").asText()).isEqualTo("end_turn");
        assertThat(r.path("toolStopReason").asText()).isEqualTo("tool_use");
        assertThat(r.path("toolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("toolInput").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("streamedToolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("streamedToolInput").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("followUp").asText()).isEqualTo("It is sunny in Paris.");
        assertThat(r.path("notFoundStatus").asInt()).isEqualTo(404);
        assertThat(r.path("notFoundType").asText()).isEqualTo("not_found_error");
        assertThat(r.path("notFoundMessage").asText()).contains("no-such-model");

        // The SDK (1.x) authenticates with a bearer token and its own version; OpenAI got a plain chat request.
        JsonNode first = LlmTestClient.parse(openai.requests().get(0).bodyText());
        assertThat(first.path("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(first.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(first.path("messages").get(0).path("content").asText()).isEqualTo("be brief");
        assertThat(openai.requests().get(0).header("Authorization")).isEqualTo("Bearer sk-key");
    }
}
