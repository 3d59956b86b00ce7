package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Mistakes fail at build() with a message naming the provider, the backend or the field. */
class BuilderValidationTest {
    private static final Map<String, String> NO_ENV = Map.of();

    @Test
    void aProviderWithoutCredentialsFailsAtBuildNamingTheVariables() {
        assertThatThrownBy(() -> LlmProvider.openAi("openai").environment(NO_ENV::get).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("provider 'openai'").hasMessageContaining("OPENAI_API_KEY");
        assertThatThrownBy(() -> LlmProvider.anthropic("claude").environment(NO_ENV::get).build())
                .hasMessageContaining("ANTHROPIC_API_KEY");
        assertThatThrownBy(() -> LlmProvider.gemini("g").environment(NO_ENV::get).build())
                .hasMessageContaining("GEMINI_API_KEY").hasMessageContaining("GOOGLE_API_KEY");
        assertThatThrownBy(() -> LlmProvider.azureOpenAi("az", "https://r.openai.azure.com").environment(NO_ENV::get).build())
                .hasMessageContaining("AZURE_OPENAI_API_KEY");
        assertThatThrownBy(() -> LlmProvider.bedrock("aws", "us-east-1").environment(NO_ENV::get).build())
                .hasMessageContaining("AWS_ACCESS_KEY_ID").hasMessageContaining("AWS_BEARER_TOKEN_BEDROCK");
        assertThatThrownBy(() -> LlmProvider.groq("groq").environment(NO_ENV::get).build()).hasMessageContaining("GROQ_API_KEY");
        assertThatThrownBy(() -> LlmProvider.cohere("co").environment(NO_ENV::get).build()).hasMessageContaining("CO_API_KEY");
    }

    @Test
    void credentialsComeFromTheEnvironmentWhenNotGiven() {
        LlmProvider openai = LlmProvider.openAi("openai").environment(Map.of("OPENAI_API_KEY", "sk-env")::get).build();
        assertThat(openai.apiKey()).isEqualTo("sk-env");
        LlmProvider bedrock = LlmProvider.bedrock("aws", "eu-west-1").environment(Map.of("AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "s", "AWS_SESSION_TOKEN", "t")::get).build();
        assertThat(bedrock.awsAccessKeyId()).isEqualTo("AKID");
        assertThat(bedrock.awsSessionToken()).isEqualTo("t");
        assertThat(bedrock.baseUrl().toString()).isEqualTo("https://bedrock-runtime.eu-west-1.amazonaws.com");
        LlmProvider key = LlmProvider.bedrock("aws", "us-east-1").environment(Map.of("AWS_BEARER_TOKEN_BEDROCK", "bk")::get).build();
        assertThat(key.apiKey()).isEqualTo("bk");
        assertThat(key.awsAccessKeyId()).isNull();
    }

    @Test
    void openAiCompatiblePresetsHaveTheirBaseUrlsAndLocalOnesNeedNoKey() {
        assertThat(LlmProvider.ollama("o").build().baseUrl().toString()).isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(LlmProvider.llamaCpp("l").build().baseUrl().toString()).isEqualTo("http://127.0.0.1:8080/v1");
        assertThat(LlmProvider.lmStudio("s").build().baseUrl().toString()).isEqualTo("http://127.0.0.1:1234/v1");
        assertThat(LlmProvider.vllm("v", "http://10.0.0.5:8000/v1").build().apiKey()).isNull();
        assertThat(LlmProvider.mistral("m").environment(Map.of("MISTRAL_API_KEY", "k")::get).build().baseUrl().toString())
                .isEqualTo("https://api.mistral.ai/v1");
        assertThat(LlmProvider.together("t").environment(Map.of("TOGETHER_API_KEY", "k")::get).build().baseUrl().toString())
                .isEqualTo("https://api.together.xyz/v1");
        assertThat(LlmProvider.fireworks("f").environment(Map.of("FIREWORKS_API_KEY", "k")::get).build().baseUrl().toString())
                .isEqualTo("https://api.fireworks.ai/inference/v1");
        assertThat(LlmProvider.groq("g").environment(Map.of("GROQ_API_KEY", "k")::get).build().baseUrl().toString())
                .isEqualTo("https://api.groq.com/openai/v1");
        assertThat(LlmProvider.vertexAi("v", "p", "global", () -> "t").build().baseUrl().toString())
                .isEqualTo("https://aiplatform.googleapis.com");
    }

    @Test
    void settersCheckTheirArgumentsAtOnce() {
        assertThatThrownBy(() -> LlmProvider.openAi("x", "k").baseUrl("ftp://nope")).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> LlmProvider.openAi("a/b", "k")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> LlmProvider.anthropic("c", "k").defaultMaxTokens(0)).hasMessageContaining("defaultMaxTokens");
        assertThatThrownBy(() -> LlmProvider.anthropic("c", "k").embeddings(true)).hasMessageContaining("embeddings");
        assertThatThrownBy(() -> ModelTarget.of("no-slash")).hasMessageContaining("provider/model");
        assertThatThrownBy(() -> LlmBackend.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
    }

    @Test
    void aBackendChecksItsAliasesAndDefaultModel() {
        assertThatThrownBy(() -> LlmBackend.builder().build()).hasMessageContaining("has no provider");
        assertThatThrownBy(() -> LlmBackend.builder().provider(LlmProvider.echo("a")).model("fast", "b/m").build())
                .hasMessageContaining("alias 'fast'").hasMessageContaining("provider 'b'");
        assertThatThrownBy(() -> LlmBackend.builder().provider(LlmProvider.echo("a")).defaultModel("nope").build())
                .hasMessageContaining("defaultModel 'nope'");
        assertThatThrownBy(() -> LlmBackend.builder().provider(LlmProvider.echo("a")).provider(LlmProvider.echo("a")))
                .hasMessageContaining("two providers are named 'a'");
        assertThat(LlmBackend.builder().provider(LlmProvider.echo("a")).defaultModel("a/anything").build().defaultModel())
                .isEqualTo("a/anything");
    }

    @Test
    void regexGuardDetectors() {
        assertThat(RegexGuard.CARD_NUMBER.check().test("4111 1111 1111 1111")).isTrue();
        assertThat(RegexGuard.CARD_NUMBER.check().test("4111 1111 1111 1112")).isFalse();
        assertThat(RegexGuard.EMAIL.pattern().matcher("write to a.b+c@mail.example.co.uk").find()).isTrue();
        assertThatThrownBy(() -> RegexGuard.builder().build()).hasMessageContaining("at least one rule");
        assertThatThrownBy(() -> WebhookGuard.builder().build()).hasMessageContaining("no url");
    }
}
