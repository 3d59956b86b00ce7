package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import dev.agentgateway.test.GatewayExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cedar in front of the {@code @a2a-js/sdk} 1.3.0 agent, called by the SDK's own client with two keys:
 * a shouter sees the agent's skill and uses it; a reader may fetch the card, which then lists no skill,
 * and its message is refused with a JSON-RPC error before it reaches the agent.
 */
class CedarAgentTest {
    static final String SHOUTER = ApiKeys.generate();
    static final String READER = ApiKeys.generate();

    static final String POLICIES = """
            permit(principal, action in [Action::"get_agent_card", Action::"get_extended_agent_card"], resource == Agent::"shouter");
            permit(principal in Group::"shouters", action, resource in Route::"shouter");
            """;

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("shouter").pathPrefix("/agents/shouter")
            .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                    ApiKey.builder("shouter").key(SHOUTER).roles("shouters").build(),
                    ApiKey.builder("reader").key(READER).roles("readers").build())).build()))
            .policy(CedarAuthorization.builder().policies(POLICIES).build())
            .backend(A2aBackend.of(agent.url()))));

    private JsonNode run(String key) throws Exception {
        try (NodePeer client = NodePeer.start("cedar-client.mjs",
                Map.of("AGENT_BASE", gateway.uri("/agents/shouter").toString(), "AGENT_API_KEY", key))) {
            return client.await(line -> line.has("skills") || line.has("error"), "results", Duration.ofSeconds(60));
        }
    }

    @Test
    void eachCallerSeesAndUsesItsOwnSkills() throws Exception {
        JsonNode shouter = run(SHOUTER);
        assertThat(shouter.has("error")).as("%s", shouter).isFalse();
        assertThat(shouter.path("skills").toString()).isEqualTo("[\"shout\"]");
        assertThat(shouter.path("sent").asText()).as("%s", shouter).isEqualTo("HELLO");
        assertThat(shouter.path("got").asBoolean()).isTrue();

        int before = agent.requests().size();
        JsonNode reader = run(READER);
        assertThat(reader.has("error")).as("%s", reader).isFalse();
        assertThat(reader.path("skills")).as("%s", reader).isEmpty();
        assertThat(reader.path("refused").path("message").asText()).as("%s", reader).contains("Not allowed: send_message");
        assertThat(agent.requests().subList(before, agent.requests().size()).toString()).doesNotContain("hello");
    }
}
