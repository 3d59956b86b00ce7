package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LLM routes that require a gateway API key, called by the official SDKs: {@code openai} 6.49.0
 * (Bearer), {@code @anthropic-ai/sdk} 1.12.0 (Bearer) and 0.137.0 (x-api-key). A good key reaches the
 * provider with the provider's own key instead; a bad one is refused before any provider call, and
 * each SDK raises its own authentication error.
 */
class AuthenticatedClientsTest {
    static final String KEY = ApiKeys.generate();

    @RegisterExtension
    static final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(call -> FakeReply.text("hi from openai").usage(3, 3)));

    @RegisterExtension
    static final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.responder(call -> FakeReply.text("hi from claude").usage(3, 3)));

    static Authentication apiKeys() {
        return Authentication.required(ApiKeyAuth.builder()
                .store(InMemoryApiKeyStore.of(ApiKey.builder("team-a").key(KEY).subject("team-a").build())).build());
    }

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("openai-front").pathPrefix("/oa").policy(apiKeys()).backend(LlmBackend.builder()
                    .provider(LlmProvider.openAi("openai", "sk-provider").baseUrl(openai.url() + "/v1"))
                    .model("fast", "openai/gpt-4o-mini").build()))
            .route(Route.builder("anthropic-front").pathPrefix("/an").policy(apiKeys()).backend(LlmBackend.builder()
                    .provider(LlmProvider.anthropic("claude", "ant-provider").baseUrl(anthropic.url()))
                    .model("fast", "claude/claude-haiku-4-5").build())));

    @Test
    void officialSdksAuthenticateWithTheirOwnKeyHeaders() throws Exception {
        JsonNode r = NodeScript.run("auth-clients.mjs", Map.of(), gateway.uri("").toString().replaceAll("/$", ""), KEY);

        assertThat(r.path("openaiGood").path("ok").asText()).as(r.toString()).isEqualTo("hi from openai");
        assertThat(r.path("anthropicGood").path("ok").asText()).as(r.toString()).isEqualTo("hi from claude");
        assertThat(r.path("classicGood").path("ok").asText()).as(r.toString()).isEqualTo("hi from claude");

        assertThat(r.path("openaiBad").path("error").asText()).as(r.toString()).isEqualTo("AuthenticationError");
        assertThat(r.path("openaiBad").path("status").asInt()).isEqualTo(401);
        // the body is OpenAI's error object, so the SDK reads its type and message from it
        assertThat(r.path("openaiBad").path("type").asText()).as(r.toString()).isEqualTo("authentication_error");
        assertThat(r.path("openaiBad").path("message").asText()).contains("Unknown API key");
        assertThat(r.path("openaiBad").path("challenge").asText()).startsWith("Bearer realm=");
        for (String sdk : new String[] {"anthropicBad", "classicBad"}) {
            assertThat(r.path(sdk).path("error").asText()).as(r.toString()).isEqualTo("AuthenticationError");
            assertThat(r.path(sdk).path("status").asInt()).isEqualTo(401);
            assertThat(r.path(sdk).path("type").asText()).as(r.toString()).isEqualTo("authentication_error");
            assertThat(r.path(sdk).path("message").asText()).contains("Unknown API key");
            assertThat(r.path(sdk).path("message")).asString().doesNotContain("sk-wrong");
        }

        // one provider call per good request, none for the refused ones; the provider saw its own key only
        assertThat(openai.requests()).hasSize(1);
        assertThat(anthropic.requests()).hasSize(2);
        assertThat(openai.requests().get(0).headerValues("authorization")).containsExactly("Bearer sk-provider");
        anthropic.requests().forEach(request -> {
            assertThat(request.headerValues("x-api-key")).containsExactly("ant-provider");
            assertThat(request.headers().toString()).doesNotContain(KEY);
        });
    }
}
