package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.llm.FakeBedrock;
import dev.agentgateway.test.llm.FakeGemini;
import dev.agentgateway.test.llm.FakeLlmCall;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test kit's fake Gemini and Bedrock speak exactly what the real services speak: the official
 * {@code @google/genai} 2.32.0 and {@code @aws-sdk/client-bedrock-runtime} 3.1164.0 clients, pointed at
 * the fakes directly, parse every answer (JSON, server-sent events, binary eventstream, errors) and
 * the fake Bedrock accepts the SDK's SigV4 signatures and refuses a wrong one.
 */
class FakeProvidersTest {

    static FakeReply answer(FakeLlmCall call) {
        if (call.model().equals("error-model")) {
            return FakeReply.error(429, "Resource has been exhausted (e.g. check quota).");
        }
        if (call.lastUserText().equals("weather?")) {
            return FakeReply.toolCall("get_weather", "{\"city\":\"Paris\"}").usage(9, 4);
        }
        return FakeReply.text("Hello, " + call.lastUserText() + "!").usage(6, 3);
    }

    @RegisterExtension
    static final FakeUpstream gemini = FakeUpstream.of(FakeGemini.responder(FakeProvidersTest::answer));

    @RegisterExtension
    static final FakeUpstream bedrock = FakeUpstream.of(FakeBedrock.builder()
            .credentials("AKIDTEST", "secret")
            .responder(FakeProvidersTest::answer)
            .build());

    @Test
    void theGoogleGenAiSdkUnderstandsTheFakeGemini() throws Exception {
        JsonNode r = NodeScript.run("genai-client.mjs", Map.of(), gemini.url());

        assertThat(r.path("text").asText()).isEqualTo("Hello, hello fake!");
        assertThat(r.path("finish").asText()).isEqualTo("STOP");
        assertThat(r.path("usage").path("promptTokenCount").asInt()).isEqualTo(6);
        assertThat(r.path("usage").path("candidatesTokenCount").asInt()).isEqualTo(3);
        assertThat(r.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
        assertThat(r.path("stream").asText()).isEqualTo("Hello, stream please!");
        assertThat(r.path("streamChunks").asInt()).isEqualTo(3);
        assertThat(r.path("streamUsage").path("totalTokenCount").asInt()).isEqualTo(9);
        assertThat(r.path("functionCall").path("name").asText()).isEqualTo("get_weather");
        assertThat(r.path("functionCall").path("args").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("errorStatus").asInt()).isEqualTo(429);
        assertThat(r.path("errorMessage").asText()).contains("Resource has been exhausted");
        assertThat(r.path("vertexText").asText()).isEqualTo("Hello, hello vertex!");

        var requests = gemini.requests();
        assertThat(requests.get(0).path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(requests.get(0).header("x-goog-api-key")).isEqualTo("gem-key");
        assertThat(requests.get(1).path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        assertThat(requests.get(1).query()).isEqualTo("alt=sse");
        var vertex = requests.get(requests.size() - 1);
        assertThat(vertex.path()).isEqualTo("/v1beta1/projects/proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent");
        assertThat(vertex.header("Authorization")).isEqualTo("Bearer ya29.test");
    }

    @Test
    void theAwsSdkUnderstandsTheFakeBedrock() throws Exception {
        JsonNode r = NodeScript.run("bedrock-client.mjs", Map.of(), bedrock.url());

        assertThat(r.path("text").asText()).isEqualTo("Hello, hello fake!");
        assertThat(r.path("stopReason").asText()).isEqualTo("end_turn");
        assertThat(r.path("usage").path("inputTokens").asInt()).isEqualTo(6);
        assertThat(r.path("usage").path("outputTokens").asInt()).isEqualTo(3);
        assertThat(r.path("stream").asText()).isEqualTo("Hello, stream please!");
        assertThat(LlmTestClient.JSON.convertValue(r.path("streamEvents"), String[].class))
                .containsExactly("messageStart", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata");
        assertThat(r.path("streamUsage").path("totalTokens").asInt()).isEqualTo(9);
        assertThat(r.path("streamStop").asText()).isEqualTo("end_turn");
        assertThat(r.path("toolName").asText()).isEqualTo("get_weather");
        assertThat(r.path("toolInput").path("city").asText()).isEqualTo("Paris");
        assertThat(r.path("badSignature").asText()).isEqualTo("InvalidSignatureException");
        assertThat(r.path("badSignatureStatus").asInt()).isEqualTo(403);
        assertThat(r.path("errorName").asText()).isEqualTo("ThrottlingException");
        assertThat(r.path("errorStatus").asInt()).isEqualTo(429);

        var first = bedrock.requests().get(0);
        assertThat(first.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(first.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");
    }
}
