package dev.agentgateway.llm;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;

import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeReply;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each LLM operation is an observation (an OpenTelemetry GenAI client span once bridged). */
class ObservationTest {
    private final TestObservationRegistry observations = TestObservationRegistry.create();

    @RegisterExtension
    final FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.replying(FakeReply.text("hi").usage(12, 3)));

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g.observationRegistry(observations)
            .route(Route.builder("llm").pathPrefix("/v1").backend(LlmBackend.builder()
                    .provider(LlmProvider.anthropic("claude", "k").baseUrl(anthropic.url()))
                    .model("fast", "claude/claude-haiku-4-5")
                    .build())));

    private final LlmTestClient client = new LlmTestClient(gateway);

    @Test
    void aChatIsAGenAiClientObservation() throws Exception {
        client.post("/v1/chat/completions", "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(observations)
                .hasObservationWithNameEqualTo("gen_ai.client.operation")
                .that()
                .hasContextualNameEqualTo("chat fast")
                .hasLowCardinalityKeyValue("gen_ai.operation.name", "chat")
                .hasLowCardinalityKeyValue("gen_ai.provider.name", "anthropic")
                .hasLowCardinalityKeyValue("gen_ai.request.model", "claude-haiku-4-5")
                .hasHighCardinalityKeyValue("gen_ai.usage.input_tokens", "12")
                .hasHighCardinalityKeyValue("gen_ai.usage.output_tokens", "3")
                .hasBeenStopped();
    }

    @Test
    void aFailedChatIsAnObservationWithItsError() throws Exception {
        client.post("/v1/chat/completions", "{\"model\":\"unknown\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(observations)
                .hasObservationWithNameEqualTo("gen_ai.client.operation")
                .that()
                .hasLowCardinalityKeyValue("error.type", "model_not_found")
                .hasError()
                .hasBeenStopped();
    }
}
