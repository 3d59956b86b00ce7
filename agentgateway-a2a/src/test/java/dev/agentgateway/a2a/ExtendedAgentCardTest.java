package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.test.GatewayExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The authenticated extended card behind {@code anonymousFor(A2aBackend.PUBLIC_CARD)}: the public card
 * keeps advertising it, and every way of asking for it (v0.3 {@code agent/getAuthenticatedExtendedCard}
 * and {@code GET /v1/card}, v1.0 {@code GetExtendedAgentCard} and {@code GET /extendedAgentCard}) needs the
 * key and answers the extended card with the gateway's URLs and security, like the public card.
 */
class ExtendedAgentCardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = ApiKeys.generate();
    static final Queue<String> seen = new ConcurrentLinkedQueue<>();
    static final HttpServer upstream = startUpstream();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("extended")
            .pathPrefix("/agents/ext")
            .policy(Authentication.builder()
                    .authenticator(ApiKeyAuth.builder()
                            .store(InMemoryApiKeyStore.of(ApiKey.builder("client").key(KEY).build())).build())
                    .anonymousFor(A2aBackend.PUBLIC_CARD).build())
            .backend(A2aBackend.builder().url(upstreamBase())
                    .cardSecurity(CardSecurity.anyOf(CardSecurity.apiKey("gateway-key", "x-api-key"))).build())));

    static String upstreamBase() {
        return "http://127.0.0.1:" + upstream.getAddress().getPort();
    }

    /** A v0.3 agent with an extended card: its own URLs and an OIDC requirement the gateway must replace. */
    static ObjectNode card(boolean extended) {
        ObjectNode card = JSON.createObjectNode();
        card.put("protocolVersion", "0.3.0").put("name", "Ext").put("description", "d").put("version", "1")
                .put("url", upstreamBase() + "/").put("preferredTransport", "JSONRPC")
                .put("supportsAuthenticatedExtendedCard", true);
        card.putArray("additionalInterfaces").addObject().put("url", upstreamBase() + "/").put("transport", "HTTP+JSON");
        card.putObject("capabilities");
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain");
        card.putObject("securitySchemes").putObject("oidc").put("type", "openIdConnect")
                .put("openIdConnectUrl", "https://idp.invalid/.well-known/openid-configuration");
        card.putArray("security").addObject().putArray("oidc");
        ObjectNode skill = card.putArray("skills").addObject().put("id", "public").put("name", "p").put("description", "p");
        skill.putArray("tags");
        if (extended) {
            ObjectNode secret = card.withArray("skills").addObject()
                    .put("id", "secret").put("name", "s").put("description", "s");
            secret.putArray("tags");
        }
        return card;
    }

    static HttpServer startUpstream() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", ExtendedAgentCardTest::serve);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void serve(HttpExchange http) throws IOException {
        String path = http.getRequestURI().getPath();
        seen.add(http.getRequestMethod() + " " + path);
        JsonNode answer;
        if (http.getRequestMethod().equals("POST")) {
            JsonNode request = JSON.readTree(http.getRequestBody());
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", request.get("id"));
            reply.set("result", card(true));
            answer = reply;
        } else {
            answer = card(path.endsWith("/v1/card") || path.endsWith("/extendedAgentCard"));
        }
        byte[] body = JSON.writeValueAsBytes(answer);
        http.getResponseHeaders().add("Content-Type", "application/json");
        http.sendResponseHeaders(200, body.length);
        try (var out = http.getResponseBody()) {
            out.write(body);
        }
    }

    @AfterAll
    static void stopUpstream() {
        upstream.stop(0);
    }

    static HttpResponse<String> send(HttpRequest.Builder request, String key) throws Exception {
        if (key != null) {
            request.header("x-api-key", key);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpRequest.Builder rpc(String method, String version) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/agents/ext/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"x-1\",\"method\":\"" + method + "\"}"));
        return version == null ? request : request.header("A2A-Version", version);
    }

    static HttpRequest.Builder rest(String path, String version) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/agents/ext" + path)).GET();
        return version == null ? request : request.header("A2A-Version", version);
    }

    @Test
    void thePublicCardIsAnonymousAndKeepsAdvertisingTheExtendedCard() throws Exception {
        HttpResponse<String> response = send(rest("/.well-known/agent-card.json", null), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode card = JSON.readTree(response.body());
        assertThat(card.path("supportsAuthenticatedExtendedCard").asBoolean()).isTrue();
        assertThat(card.path("securitySchemes").has("gateway-key")).isTrue();
        assertThat(card.path("skills").size()).isEqualTo(1);
    }

    @Test
    void everyExtendedCardCallNeedsTheKey() throws Exception {
        int before = seen.size();
        for (HttpRequest.Builder request : List.of(rpc("agent/getAuthenticatedExtendedCard", null),
                rpc("GetExtendedAgentCard", "1.0"))) {
            HttpResponse<String> refused = send(request, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()).at("/error/data/status").asInt()).isEqualTo(401);
        }
        for (HttpRequest.Builder request : List.of(rest("/v1/card", null), rest("/extendedAgentCard", "1.0"))) {
            HttpResponse<String> refused = send(request, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
            assertThat(JSON.readTree(refused.body()).at("/error/status").asText()).isEqualTo("UNAUTHENTICATED");
        }
        assertThat(seen).hasSize(before);
    }

    @Test
    void withTheKeyEachExtendedCardCallAnswersTheRewrittenExtendedCard() throws Exception {
        for (HttpRequest.Builder request : List.of(rpc("agent/getAuthenticatedExtendedCard", null),
                rpc("GetExtendedAgentCard", "1.0"))) {
            HttpResponse<String> response = send(request, KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertRewritten(JSON.readTree(response.body()).path("result"));
        }
        for (HttpRequest.Builder request : List.of(rest("/v1/card", null), rest("/extendedAgentCard", "1.0"))) {
            HttpResponse<String> response = send(request, KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertRewritten(JSON.readTree(response.body()));
        }
    }

    static void assertRewritten(JsonNode card) {
        assertThat(card.path("skills").size()).as(card.toString()).isEqualTo(2);
        assertThat(card.toString()).doesNotContain(upstreamBase()).doesNotContain("idp.invalid");
        assertThat(card.path("url").asText()).startsWith(gateway.uri("/agents/ext").toString());
        assertThat(card.path("securitySchemes").has("gateway-key")).isTrue();
        assertThat(card.path("securitySchemes").has("oidc")).isFalse();
    }
}
