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
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An API-key-protected A2A route with {@code anonymousFor(A2aBackend.PUBLIC_CARD)}: the public card, which
 * tells a client how to authenticate, is served without a key on every card path and version; every
 * other call still needs the key; a bad key on the card is refused; the exemption is opt-in.
 */
class PublicAgentCardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = ApiKeys.generate();
    static final CardSecurity SECURITY = CardSecurity.anyOf(CardSecurity.apiKey("gateway-key", "x-api-key"));
    static final String SEND = """
            {"jsonrpc":"2.0","id":"s-1","method":"message/send","params":{"message":{"kind":"message","messageId":"m-1",
            "role":"user","parts":[{"kind":"text","text":"hello"}]}}}""";

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> {
        g.route(Route.builder("public-card").pathPrefix("/agents/shouter")
                .policy(Authentication.builder().authenticator(apiKeys()).anonymousFor(A2aBackend.PUBLIC_CARD).build())
                .backend(A2aBackend.builder().url(agent.url()).cardSecurity(SECURITY).build()));
        g.route(Route.builder("closed-card").pathPrefix("/agents/closed")
                .policy(Authentication.required(apiKeys()))
                .backend(A2aBackend.builder().url(agent.url()).cardSecurity(SECURITY).build()));
    });

    static ApiKeyAuth apiKeys() {
        return ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(ApiKey.builder("client").key(KEY).build())).build();
    }

    static HttpResponse<String> get(String path, String version, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).GET();
        if (version != null) {
            request.header("A2A-Version", version);
        }
        if (key != null) {
            request.header("x-api-key", key);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(URI uri, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePublicCardIsServedWithoutAKeyOnEveryPathAndVersion() throws Exception {
        for (String path : List.of("/.well-known/agent-card.json", "/.well-known/agent.json")) {
            for (String version : new String[] {null, "0.3", "1.0"}) {
                HttpResponse<String> response = get("/agents/shouter" + path, version, null);
                assertThat(response.statusCode()).as("%s %s: %s", path, version, response.body()).isEqualTo(200);
                JsonNode card = JSON.readTree(response.body());
                assertThat(card.path("name").asText()).as(path + " " + version).isNotEmpty();
                assertThat(card.path("securitySchemes").has("gateway-key")).as(path + " " + version).isTrue();
            }
        }
    }

    @Test
    void aBadKeyOnThePublicCardIsStillRefused() throws Exception {
        HttpResponse<String> response = get("/agents/shouter/.well-known/agent-card.json", null, "not-" + KEY);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(response.body()).at("/error/code").asText()).isEqualTo("unauthorized");
        assertThat(get("/agents/shouter/.well-known/agent-card.json", null, KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void theExemptionIsOptIn() throws Exception {
        assertThat(get("/agents/closed/.well-known/agent-card.json", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/agents/closed/.well-known/agent-card.json", null, KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void messageSendStillNeedsTheKeyAndIsRefusedInTheBindingsShape() throws Exception {
        URI endpoint = URI.create(JSON.readTree(get("/agents/shouter/.well-known/agent-card.json", null, null).body())
                .path("url").asText());
        int before = agent.requests().size();

        HttpResponse<String> refused = post(endpoint, SEND, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).isPresent();
        JsonNode error = JSON.readTree(refused.body());
        assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.path("id").asText()).isEqualTo("s-1");
        assertThat(error.at("/error/data/status").asInt()).isEqualTo(401);
        HttpResponse<String> rest = post(gateway.uri("/agents/shouter/message:send"), "{\"message\":{}}", null);
        assertThat(rest.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(rest.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(agent.requests()).hasSize(before);

        HttpResponse<String> accepted = post(endpoint, SEND, KEY);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.body()).contains("HELLO");
    }

    @Test
    void theSdkClientResolvesTheCardAnonymouslyThenCallsWithTheKey() throws Exception {
        JsonNode out;
        try (NodePeer client = NodePeer.start("client.mjs", Map.of("AGENT_BASE", gateway.uri("/agents/shouter").toString(),
                "AGENT_API_KEY", KEY, "AGENT_CARD_ANONYMOUS", "1"))) {
            out = client.await(line -> line.has("runs") || line.has("error"), "results", Duration.ofSeconds(90));
        }
        assertThat(out.has("error")).as("client failed: %s", out.path("error").asText()).isFalse();
        assertThat(out.path("fetched").toString()).contains("/.well-known/agent-card.json");
        for (String run : List.of("v10_jsonrpc", "v10_rest", "v03_jsonrpc", "v03_rest")) {
            assertThat(out.at("/runs/" + run + "/sentText").asText()).as(run).isEqualTo("HELLO");
        }
    }
}
