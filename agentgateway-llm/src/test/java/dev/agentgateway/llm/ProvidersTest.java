package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeBedrock;
import dev.agentgateway.test.llm.FakeGemini;
import dev.agentgateway.test.llm.FakeLlmCall;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every provider kind behind the OpenAI front, against the test kit's fakes (whose wire formats the
 * official SDKs confirm in {@link FakeProvidersTest}): paths, authentication, translation both ways,
 * streams (server-sent events and the Bedrock eventstream) and usage.
 */
class ProvidersTest {

    static FakeReply answer(FakeLlmCall call) {
        if (call.lastUserText().equals("weather?")) {
            return FakeReply.toolCall("get_weather", "{\"city\":\"Paris\"}").usage(9, 4);
        }
        return FakeReply.text("Hi from " + call.model()).usage(6, 3);
    }

    @RegisterExtension
    static final FakeUpstream gemini = FakeUpstream.of(FakeGemini.responder(ProvidersTest::answer));

    @RegisterExtension
    static final FakeUpstream vertex = FakeUpstream.builder()
            .handler("/", FakeGemini.responder(ProvidersTest::answer))
            .handler("/v1/projects/proj/locations/us-east5/publishers/anthropic", FakeAnthropic.responder(ProvidersTest::answer))
            .build();

    @RegisterExtension
    static final FakeUpstream azure = FakeUpstream.of(FakeOpenAi.responder(ProvidersTest::answer));

    @RegisterExtension
    static final FakeUpstream bedrock = FakeUpstream.of(FakeBedrock.builder()
            .credentials("AKIDTEST", "secret").apiKey("bedrock-api-key")
            .responder(ProvidersTest::answer).build());

    @RegisterExtension
    static final FakeUpstream slowBedrock = FakeUpstream.of(FakeBedrock.replying(
            FakeReply.text("word ".repeat(200).strip()).interval(java.time.Duration.ofMillis(20))));

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("llm").pathPrefix("/v1")
            .backend(LlmBackend.builder()
                    .provider(LlmProvider.gemini("gemini", "gem-key").baseUrl(gemini.url()))
                    .provider(LlmProvider.vertexAi("vertex", "proj", "us-east5", () -> "ya29.token").baseUrl(vertex.url()))
                    .provider(LlmProvider.azureOpenAi("azure", azure.url(), "az-key"))
                    .provider(LlmProvider.azureOpenAi("azure-v1", azure.url(), "az-key").apiVersion("v1"))
                    .provider(LlmProvider.bedrock("aws", "us-east-1", "AKIDTEST", "secret").baseUrl(bedrock.url()))
                    .provider(LlmProvider.bedrock("aws-key", "us-east-1").apiKey("bedrock-api-key").baseUrl(bedrock.url()))
                    .provider(LlmProvider.bedrock("aws-wrong", "us-east-1", "AKIDTEST", "not-the-secret").baseUrl(bedrock.url()))
                    .provider(LlmProvider.bedrock("aws-slow", "us-east-1", "AKIDTEST", "secret").baseUrl(slowBedrock.url()))
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    private static String chat(String model, String text, boolean stream) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":50,\"temperature\":0.2,\"stop\":[\"END\"]," + (stream
                ? "\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                : "") + "\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }

    private static JsonNode sent(FakeRequest request) throws Exception {
        return LlmTestClient.parse(request.bodyText());
    }

    /** The streamed text, finish reason and usage of an OpenAI event stream. */
    private record Streamed(String text, String finish, JsonNode usage, List<JsonNode> toolCalls, boolean done) {
    }

    private Streamed stream(String body) throws Exception {
        HttpResponse<InputStream> response = client.stream("/v1/chat/completions", body);
        assertThat(response.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        boolean done = false;
        List<JsonNode> calls = new java.util.ArrayList<>();
        for (String[] event : LlmTestClient.events(response.body())) {
            if (event[1].equals("[DONE]")) {
                done = true;
                continue;
            }
            JsonNode chunk = LlmTestClient.parse(event[1]);
            assertThat(chunk.has("error")).as("error chunk %s", event[1]).isFalse();
            for (JsonNode choice : chunk.path("choices")) {
                text.append(choice.path("delta").path("content").asText(""));
                choice.path("delta").path("tool_calls").forEach(calls::add);
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
        }
        return new Streamed(text.toString(), finish, usage, calls, done);
    }

    @Test
    void gemini() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("gemini/gemini-2.5-flash", "hello", false));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hi from gemini-2.5-flash");
        assertThat(answer.body().path("usage").path("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(answer.body().path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        FakeRequest request = gemini.lastRequest();
        assertThat(request.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(request.header("x-goog-api-key")).isEqualTo("gem-key");
        JsonNode body = sent(request);
        assertThat(body.path("systemInstruction").path("parts").path(0).path("text").asText()).isEqualTo("be brief");
        assertThat(body.path("contents").path(0).path("role").asText()).isEqualTo("user");
        assertThat(body.path("generationConfig").path("maxOutputTokens").asInt()).isEqualTo(50);
        assertThat(body.path("generationConfig").path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(body.path("generationConfig").path("stopSequences").path(0).asText()).isEqualTo("END");

        Streamed streamed = stream(chat("gemini/gemini-2.5-flash", "hello", true));
        assertThat(streamed.text()).isEqualTo("Hi from gemini-2.5-flash");
        assertThat(streamed.finish()).isEqualTo("stop");
        assertThat(streamed.usage().path("total_tokens").asInt()).isEqualTo(9);
        assertThat(streamed.done()).isTrue();
        assertThat(gemini.lastRequest().path()).endsWith(":streamGenerateContent");
        assertThat(gemini.lastRequest().query()).isEqualTo("alt=sse");
    }

    @Test
    void geminiToolCallsGetIdsAndToolResultsFindTheirFunctionName() throws Exception {
        var answer = client.post("/v1/chat/completions", """
                {"model":"gemini/gemini-2.5-flash","messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}],"tool_choice":"required"}""");
        JsonNode choice = answer.body().path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("id").asText()).startsWith("call_");
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");
        JsonNode body = sent(gemini.lastRequest());
        assertThat(body.path("tools").path(0).path("functionDeclarations").path(0).path("name").asText()).isEqualTo("get_weather");
        assertThat(body.path("toolConfig").path("functionCallingConfig").path("mode").asText()).isEqualTo("ANY");

        client.post("/v1/chat/completions", """
                {"model":"gemini/gemini-2.5-flash","messages":[{"role":"user","content":"weather?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_9","content":"sunny"}]}""");
        JsonNode contents = sent(gemini.lastRequest()).path("contents");
        assertThat(contents.path(1).path("role").asText()).isEqualTo("model");
        assertThat(contents.path(1).path("parts").path(0).path("functionCall").path("args").path("city").asText()).isEqualTo("Paris");
        assertThat(contents.path(2).path("parts").path(0).path("functionResponse").path("name").asText()).isEqualTo("get_weather");
        assertThat(contents.path(2).path("parts").path(0).path("functionResponse").path("response").path("content").asText())
                .isEqualTo("sunny");
    }

    @Test
    void vertexServesGeminiAndAnthropicModelsWithTheSuppliedToken() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("vertex/gemini-2.5-pro", "hello", false));
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hi from gemini-2.5-pro");
        FakeRequest request = vertex.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/projects/proj/locations/us-east5/publishers/google/models/gemini-2.5-pro:generateContent");
        assertThat(request.header("Authorization")).isEqualTo("Bearer ya29.token");

        var claude = client.post("/v1/chat/completions", chat("vertex/claude-sonnet-4-5", "hello", false));
        assertThat(claude.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hi from claude-sonnet-4-5");
        request = vertex.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/projects/proj/locations/us-east5/publishers/anthropic/models/claude-sonnet-4-5:rawPredict");
        JsonNode body = sent(request);
        assertThat(body.has("model")).isFalse();
        assertThat(body.path("anthropic_version").asText()).isEqualTo("vertex-2023-10-16");

        Streamed streamed = stream(chat("vertex/claude-sonnet-4-5", "hello", true));
        assertThat(streamed.text()).isEqualTo("Hi from claude-sonnet-4-5");
        assertThat(streamed.usage().path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(vertex.lastRequest().path()).endsWith(":streamRawPredict");
    }

    @Test
    void azureClassicUsesTheDeploymentPathApiVersionAndApiKey() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("azure/my-deploy", "hello", false));
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText()).isEqualTo("Hi from my-deploy");
        FakeRequest request = azure.lastRequest();
        assertThat(request.path()).isEqualTo("/openai/deployments/my-deploy/chat/completions");
        assertThat(request.query()).isEqualTo("api-version=2024-10-21");
        assertThat(request.header("api-key")).isEqualTo("az-key");
        assertThat(request.header("Authorization")).isNull();

        Streamed streamed = stream(chat("azure-v1/my-deploy", "hello", true));
        assertThat(streamed.text()).isEqualTo("Hi from my-deploy");
        assertThat(streamed.usage().path("total_tokens").asInt()).isEqualTo(9);
        assertThat(azure.lastRequest().path()).isEqualTo("/openai/v1/chat/completions");
        assertThat(azure.lastRequest().query()).isNull();
    }

    @Test
    void bedrockRequestsAreSignedWithSigV4AndTheEventStreamIsTranslated() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("aws/anthropic.claude-3-haiku-20240307-v1:0", "hello", false));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.body().path("choices").path(0).path("message").path("content").asText())
                .isEqualTo("Hi from anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(answer.body().path("id").asText()).isEqualTo("fake-request-1");
        FakeRequest request = bedrock.lastRequest();
        assertThat(request.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(request.header("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                .contains("/us-east-1/bedrock/aws4_request");
        JsonNode body = sent(request);
        assertThat(body.path("system").path(0).path("text").asText()).isEqualTo("be brief");
        assertThat(body.path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(50);
        assertThat(body.path("inferenceConfig").path("stopSequences").path(0).asText()).isEqualTo("END");

        Streamed streamed = stream(chat("aws/anthropic.claude-3-haiku-20240307-v1:0", "hello", true));
        assertThat(streamed.text()).isEqualTo("Hi from anthropic.claude-3-haiku-20240307-v1:0");
        assertThat(streamed.finish()).isEqualTo("stop");
        assertThat(streamed.usage().path("prompt_tokens").asInt()).isEqualTo(6);
        assertThat(streamed.done()).isTrue();
        assertThat(bedrock.lastRequest().path()).endsWith("/converse-stream");
    }

    @Test
    void bedrockToolCallsStreamAsOpenAiToolCallDeltas() throws Exception {
        Streamed streamed = stream("""
                {"model":"aws/m","stream":true,"messages":[{"role":"user","content":"weather?"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}""");
        assertThat(streamed.finish()).isEqualTo("tool_calls");
        assertThat(streamed.toolCalls().get(0).path("id").asText()).isEqualTo("call_1");
        assertThat(streamed.toolCalls().get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        StringBuilder arguments = new StringBuilder();
        streamed.toolCalls().forEach(call -> arguments.append(call.path("function").path("arguments").asText("")));
        assertThat(LlmTestClient.parse(arguments.toString()).path("city").asText()).isEqualTo("Paris");
        assertThat(streamed.toolCalls().size()).as("arguments arrive in pieces").isGreaterThan(2);
    }

    @Test
    void aClientLeavingABedrockStreamCancelsTheEventStream() throws Exception {
        HttpResponse<InputStream> response = client.stream("/v1/chat/completions", chat("aws-slow/m", "hello", true));
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(), java.nio.charset.StandardCharsets.UTF_8))) {
            assertThat(LlmTestClient.nextEvent(reader)).isNotNull();
            assertThat(LlmTestClient.nextEvent(reader)[1]).contains("\"content\":\"word \"");
        }
        // 200 words 20 ms apart would take 4 s; the gateway must abort the provider's stream long before.
        for (int i = 0; i < 100 && slowBedrock.abandonedResponses() == 0; i++) {
            Thread.sleep(20);
        }
        assertThat(slowBedrock.abandonedResponses()).isEqualTo(1);
    }

    @Test
    void azureEmbeddingsUseTheDeploymentPath() throws Exception {
        var answer = client.post("/v1/embeddings", "{\"model\":\"azure/embed-deploy\",\"input\":\"hello\"}");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("data").path(0).path("embedding").size()).isEqualTo(4);
        assertThat(azure.lastRequest().path()).isEqualTo("/openai/deployments/embed-deploy/embeddings");
        assertThat(azure.lastRequest().query()).isEqualTo("api-version=2024-10-21");
    }

    @Test
    void bedrockApiKeysAreSentAsBearerTokens() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("aws-key/m", "hello", false));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(bedrock.lastRequest().header("Authorization")).isEqualTo("Bearer bedrock-api-key");
    }

    @Test
    void aBadSignatureComesBackAsA403WithAwssMessage() throws Exception {
        var answer = client.post("/v1/chat/completions", chat("aws-wrong/m", "hello", false));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body().path("error").path("message").asText()).startsWith("The request signature we calculated does not match");
        assertThat(answer.body().path("error").path("code").asText()).isEqualTo("InvalidSignatureException");
    }
}
