package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Which models a caller may use, decided by Cedar and seen through the official {@code openai} SDK
 * (6.49.0): {@code /v1/models} lists only the caller's models, a model it may not use is answered
 * exactly like one that does not exist ({@code NotFoundError}, {@code model_not_found}), and a
 * parameter rule caps {@code max_tokens} for one group. Refused calls never reach the provider.
 */
class ModelAccessTest {
    static final String INTERN = ApiKeys.generate();
    static final String STAFF = ApiKeys.generate();

    static final String POLICIES = """
            // interns: the cheap model only, at most 1000 tokens per answer (listing it needs no max_tokens)
            permit(principal in Group::"interns", action == Action::"use_model", resource == Model::"cheap")
            when { (context has endpoint && context.endpoint == "models") || (context has max_tokens && context.max_tokens <= 1000) || !(context has max_tokens) };
            // staff: every model of the route
            permit(principal in Group::"staff", action == Action::"use_model", resource in Route::"llm");
            """;

    @RegisterExtension
    static final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(call -> FakeReply.text("hi from " + call.model()).usage(3, 3)));

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("llm").pathPrefix("/oa")
                    .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                            ApiKey.builder("intern").key(INTERN).roles("interns").build(),
                            ApiKey.builder("staff").key(STAFF).roles("staff").build())).build()))
                    .policy(CedarAuthorization.builder().policies(POLICIES).build())
                    .backend(LlmBackend.builder()
                            .provider(LlmProvider.openAi("openai", "sk-provider").baseUrl(openai.url() + "/v1"))
                            .model("cheap", "openai/gpt-4o-mini")
                            .model("premium", "openai/gpt-5").build())));

    @Test
    void eachCallerSeesAndUsesItsOwnModels() throws Exception {
        String base = gateway.uri("/oa/v1").toString();
        JsonNode intern = NodeScript.run("model-access.mjs", Map.of(), base, INTERN);
        assertThat(intern.path("models").path("ok")).as(intern.toString()).hasSize(1);
        assertThat(intern.path("models").path("ok").get(0).asText()).isEqualTo("cheap");
        assertThat(intern.path("cheap").path("ok").asText()).as(intern.toString()).isEqualTo("hi from gpt-4o-mini");
        for (String refused : new String[] {"cheapLong", "premium", "missing"}) {
            assertThat(intern.path(refused).path("error").asText()).as(intern.toString()).isEqualTo("NotFoundError");
            assertThat(intern.path(refused).path("status").asInt()).isEqualTo(404);
            assertThat(intern.path(refused).path("code").asText()).isEqualTo("model_not_found");
            // the error lists only what the caller may use
            assertThat(intern.path(refused).path("message").asText()).contains("Available models: cheap (").doesNotContain("premium (");
        }
        // a hidden model reads exactly like a missing one, but for its name
        assertThat(intern.path("premium").path("message").asText().replace("premium", "X"))
                .isEqualTo(intern.path("missing").path("message").asText().replace("no-such-model", "X"));
        assertThat(openai.requests()).hasSize(1);

        JsonNode staff = NodeScript.run("model-access.mjs", Map.of(), base, STAFF);
        assertThat(staff.path("models").path("ok").toString()).isEqualTo("[\"cheap\",\"premium\"]");
        assertThat(staff.path("premium").path("ok").asText()).as(staff.toString()).isEqualTo("hi from gpt-5");
        assertThat(staff.path("cheapLong").path("ok").asText()).isEqualTo("hi from gpt-4o-mini");
        assertThat(staff.path("missing").path("message").asText()).contains("Available models: cheap, premium (");
    }
}
