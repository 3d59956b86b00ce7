package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An A2A agent behind a route that requires a gateway API key (its card too): the {@code @a2a-js/sdk}
 * 1.3.0 client with the key works over every version and binding, without it gets nothing from the
 * agent, and the card served states the gateway's requirement, in each card version's own shape.
 */
class AuthenticatedAgentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = ApiKeys.generate();
    static final CardSecurity SECURITY = CardSecurity.anyOf(CardSecurity.apiKey("gateway-key", "x-api-key"),
            CardSecurity.bearer("gateway-bearer", null));

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> {
        A2aBackend backend = A2aBackend.builder().url(agent.url()).cardSecurity(SECURITY).build();
        g.route(Route.builder("shouter").pathPrefix("/agents/shouter")
                .policy(Authentication.required(ApiKeyAuth.builder()
                        .store(InMemoryApiKeyStore.of(ApiKey.builder("client").key(KEY).build())).build()))
                .backend(backend));
    });

    JsonNode runClient(Map<String, String> env) throws Exception {
        try (NodePeer client = NodePeer.start("client.mjs", env)) {
            return client.await(line -> line.has("runs") || line.has("error"), "results", Duration.ofSeconds(90));
        }
    }

    @Test
    void theSdkClientWithTheKeyWorksOnEveryVersionAndBinding() throws Exception {
        String base = gateway.uri("/agents/shouter").toString();
        JsonNode out = runClient(Map.of("AGENT_BASE", base, "AGENT_API_KEY", KEY));
        assertThat(out.has("error")).as("client failed: %s", out.path("error").asText()).isFalse();
        for (String run : List.of("v10_jsonrpc", "v10_rest", "v03_jsonrpc", "v03_rest")) {
            assertThat(out.at("/runs/" + run + "/sentText").asText()).as(run).isEqualTo("HELLO");
            assertThat(out.at("/runs/" + run + "/canceledState").asText()).as(run).isEqualTo("TASK_STATE_CANCELED");
        }
        assertThat(agent.requests().toString()).doesNotContain(KEY);
    }

    @Test
    void withoutTheKeyTheClientIsRefusedAndTheAgentSeesNothing() throws Exception {
        int before = agent.requests().size();
        JsonNode out = runClient(Map.of("AGENT_BASE", gateway.uri("/agents/shouter").toString()));
        assertThat(out.path("error").asText()).as(out.toString()).contains("401");
        assertThat(agent.requests()).hasSize(before);
    }

    @Test
    void theServedCardStatesTheGatewaysRequirementInEachVersion() throws Exception {
        JsonNode v03 = card(null);
        assertThat(v03.path("securitySchemes").path("gateway-key").path("type").asText()).isEqualTo("apiKey");
        assertThat(v03.path("securitySchemes").path("gateway-key").path("name").asText()).isEqualTo("x-api-key");
        assertThat(v03.path("securitySchemes").path("gateway-bearer").path("scheme").asText()).isEqualTo("bearer");
        assertThat(v03.path("security").toString()).isEqualTo("[{\"gateway-key\":[]},{\"gateway-bearer\":[]}]");
        assertThat(v03.path("securitySchemes").size()).isEqualTo(2);

        JsonNode v10 = card("1.0");
        assertThat(v10.has("url")).isFalse();
        assertThat(v10.path("securitySchemes").path("gateway-key").path("apiKeySecurityScheme").path("name").asText())
                .isEqualTo("x-api-key");
        assertThat(v10.path("securitySchemes").path("gateway-bearer").path("httpAuthSecurityScheme").path("scheme").asText())
                .isEqualTo("Bearer");
        assertThat(v10.path("securityRequirements").get(0).path("schemes").has("gateway-key")).isTrue();
        for (JsonNode skill : v10.path("skills")) {
            assertThat(skill.has("securityRequirements")).isFalse();
        }
    }

    JsonNode card(String version) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/agents/shouter/.well-known/agent-card.json"))
                .header("x-api-key", KEY);
        if (version != null) {
            request.header("A2A-Version", version);
        }
        HttpResponse<String> response = gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
