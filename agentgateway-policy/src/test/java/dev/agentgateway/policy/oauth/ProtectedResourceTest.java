package dev.agentgateway.policy.oauth;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Cors;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.JwtIssuer;
import dev.agentgateway.test.GatewayExtension;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An MCP resource protected as the MCP authorization spec asks, with tokens from an in-process mock-oauth2-server. */
class ProtectedResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final MockOAuth2Server IDP = started();
    static final String ISSUER = IDP.issuerUrl("idp").toString();

    static final ProtectedResource MCP = ProtectedResource.builder("/mcp")
            .issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build())
            .resourceName("Tools behind the gateway")
            .scopesSupported("tools:read", "tools:call")
            .actionScopes("list_tools", "tools:read")
            .actionScopes("call_tool", "tools:call")
            .toolScopes("delete_repo", "repo:admin")
            .challengeScopes("tools:read")
            .build();

    static final ProtectedResource FIXED = ProtectedResource.builder("/fixed")
            .resource("https://gw.example/fixed")
            .issuer(JwtIssuer.builder(ISSUER).discovery().audience("https://gw.example/fixed").build())
            .actionScopes("call_tool", "tools:call")
            .repeatGrantedScopes(false)
            .build();

    static final ProtectedResource PROXIED = ProtectedResource.builder("/proxied")
            .issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build())
            .authorizationServerAtGateway()
            .authorizationServer("https://backup-idp.example")
            .build();

    /** A resource a browser-based MCP client (an inspector served from another origin) reaches. */
    static final ProtectedResource BROWSER = ProtectedResource.builder("/browser")
            .issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build())
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("browser").path("/browser")
                    .policy(Cors.builder().allowOrigin("http://localhost:6274")
                            .allowHeaders("Authorization", "Content-Type", "Mcp-Session-Id", "MCP-Protocol-Version")
                            .exposeHeaders("WWW-Authenticate", "Mcp-Session-Id").build())
                    .policy(BROWSER.authentication()).backend(new OperationBackend()))
            .route(BROWSER.metadataRoute())
            .route(Route.builder("mcp").path("/mcp").policy(MCP.authentication()).policy(MCP.scopeCheck()).backend(new OperationBackend()))
            .routes(MCP.metadataRoutes())
            .route(Route.builder("fixed").path("/fixed").policy(FIXED.authentication()).policy(FIXED.scopeCheck())
                    .backend(new OperationBackend()))
            .route(FIXED.metadataRoute())
            .route(PROXIED.metadataRoute()));

    static MockOAuth2Server started() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    /** Stands in for the MCP module: records the operation named by {@code x-operation} ({@code action[:tool]}) before policies run. */
    static final class OperationBackend implements Backend {
        @Override
        public Response inspect(Exchange exchange) {
            String named = exchange.requestHeaders().get("x-operation");
            if (named != null) {
                String[] parts = named.split(":", 2);
                exchange.attribute(Operation.KEY, new Operation("mcp", parts[0], "Tool", parts.length > 1 ? parts[1] : "", Map.of()));
            }
            return null;
        }

        @Override
        public Response handle(Exchange exchange) {
            return Response.text(200, "reached by " + exchange.principal().subject());
        }
    }

    static String resource() {
        return gateway.uri("/mcp").toString();
    }

    static String metadataUrl() {
        return gateway.uri("/.well-known/oauth-protected-resource/mcp").toString();
    }

    static String token(String audience, Map<String, Object> claims) {
        return IDP.issueToken("idp", "alice", audience, claims, 300).serialize();
    }

    HttpResponse<String> get(String path, String token, String operation) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (operation != null) {
            request.header("x-operation", operation);
        }
        return gateway.httpClient().send(request.build(), ofString());
    }

    static String challenge(HttpResponse<String> response) {
        return response.headers().firstValue("WWW-Authenticate").orElse(null);
    }

    @Test
    void metadataIsServedAtThePathSuffixedAndTheRootWellKnownUrl() throws Exception {
        for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
            HttpResponse<String> response = get(path, null, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
            JsonNode metadata = JSON.readTree(response.body());
            assertThat(metadata.path("resource").asText()).isEqualTo(resource());
            assertThat(metadata.path("authorization_servers")).containsExactly(JSON.valueToTree(ISSUER));
            assertThat(JSON.convertValue(metadata.path("scopes_supported"), List.class))
                    .containsExactly("tools:read", "tools:call", "repo:admin");
            assertThat(JSON.convertValue(metadata.path("bearer_methods_supported"), List.class)).containsExactly("header");
            assertThat(metadata.path("resource_name").asText()).isEqualTo("Tools behind the gateway");
        }
    }

    @Test
    void configuredResourceIsNamedInMetadataAndChallengeWhateverTheHost() throws Exception {
        JsonNode metadata = JSON.readTree(get("/.well-known/oauth-protected-resource/fixed", null, null).body());
        assertThat(metadata.path("resource").asText()).isEqualTo("https://gw.example/fixed");
        assertThat(metadata.has("resource_name")).isFalse();

        HttpResponse<String> refused = get("/fixed", null, "call_tool:echo");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(challenge(refused)).isEqualTo(
                "Bearer resource_metadata=\"https://gw.example/.well-known/oauth-protected-resource/fixed\", scope=\"tools:call\"");
    }

    @Test
    void requestWithoutTokenGets401PointingToMetadataWithTheScopesTheOperationNeeds() throws Exception {
        HttpResponse<String> response = get("/mcp", null, "call_tool:echo");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer resource_metadata=\"" + metadataUrl() + "\", scope=\"tools:call\"");
    }

    @Test
    void requestThatNeedsNoScopeIsChallengedForTheChallengeScopes() throws Exception {
        HttpResponse<String> response = get("/mcp", null, "initialize");

        assertThat(challenge(response)).isEqualTo("Bearer resource_metadata=\"" + metadataUrl() + "\", scope=\"tools:read\"");
    }

    @Test
    void tokenIssuedForAnotherResourceIsRefused() throws Exception {
        HttpResponse<String> response = get("/mcp", token("https://other.example/mcp", Map.of("scope", "tools:read tools:call")),
                "list_tools");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).isEqualTo("Bearer resource_metadata=\"" + metadataUrl() + "\", scope=\"tools:read\""
                + ", error=\"invalid_token\", error_description=\"Token was not issued for this resource\"");
    }

    @Test
    void issuerAudienceRuleStillAppliesWhenAResourceIsConfigured() throws Exception {
        HttpResponse<String> response = get("/fixed", token("https://other.example/fixed", Map.of("scope", "tools:call")), "call_tool:echo");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(challenge(response)).contains("error=\"invalid_token\"");
    }

    @Test
    void tokenWithoutTheActionsScopeGets403InsufficientScope() throws Exception {
        HttpResponse<String> response = get("/mcp", token(resource(), Map.of("scope", "tools:read")), "call_tool:echo");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).isEqualTo("Bearer scope=\"tools:read tools:call\", resource_metadata=\"" + metadataUrl()
                + "\", error=\"insufficient_scope\", error_description=\"call_tool echo needs scope tools:call\"");
        assertThat(response.body()).contains("insufficient_scope").doesNotContain("reached");
    }

    @Test
    void withoutRepeatingGrantedScopesTheChallengeNamesOnlyWhatTheOperationNeeds() throws Exception {
        HttpResponse<String> response = get("/fixed", token("https://gw.example/fixed", Map.of("scope", "tools:read")), "call_tool:echo");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(challenge(response)).startsWith("Bearer scope=\"tools:call\", resource_metadata=\"https://gw.example/");
    }

    @Test
    void tokenWithTheRightScopeReachesTheUpstream() throws Exception {
        HttpResponse<String> response = get("/mcp", token(resource(), Map.of("scope", "tools:read tools:call")), "call_tool:echo");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("reached by alice");
    }

    @Test
    void scpArrayClaimCountsAsScopes() throws Exception {
        HttpResponse<String> response = get("/mcp", token(resource(), Map.of("scp", List.of("tools:read"))), "list_tools");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void aToolWithItsOwnScopeNeedsItBesidesTheActionsScope() throws Exception {
        HttpResponse<String> callOnly = get("/mcp", token(resource(), Map.of("scope", "tools:call")), "call_tool:delete_repo");
        HttpResponse<String> both = get("/mcp", token(resource(), Map.of("scope", "tools:call repo:admin")), "call_tool:delete_repo");

        assertThat(callOnly.statusCode()).isEqualTo(403);
        assertThat(challenge(callOnly)).startsWith("Bearer scope=\"tools:call repo:admin\"");
        assertThat(both.statusCode()).isEqualTo(200);
    }

    @Test
    void operationThatNeedsNoScopeOnlyNeedsAValidToken() throws Exception {
        HttpResponse<String> response = get("/mcp", token(resource(), Map.of()), "initialize");

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aResourceAtTheRootHasItsMetadataAtTheRootWellKnownUrlOnly() {
        ProtectedResource root = ProtectedResource.builder("/").issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build()).build();

        assertThat(root.metadataRoutes()).extracting(Route::pathMatch)
                .containsExactly(new dev.agentgateway.core.PathMatch.Exact("/.well-known/oauth-protected-resource"));
        assertThat(root.metadataRoute().pathMatch()).isEqualTo(new dev.agentgateway.core.PathMatch.Exact("/.well-known/oauth-protected-resource"));
    }

    @Test
    void aGatewayServingAuthorizationServerMetadataNamesItselfInsteadOfTheIssuer() throws Exception {
        JsonNode metadata = JSON.readTree(get("/.well-known/oauth-protected-resource/proxied", null, null).body());

        String root = gateway.uri("/").toString();
        assertThat(JSON.convertValue(metadata.path("authorization_servers"), List.class))
                .containsExactly(root.substring(0, root.length() - 1), "https://backup-idp.example");
    }

    @Test
    void resourceMustHaveTheRoutesPath() {
        assertThatThrownBy(() -> ProtectedResource.builder("/mcp").resource("https://gw.example/other"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must have the path /mcp");
    }

    @Test
    void aResourceNeedsAnIssuer() {
        assertThatThrownBy(() -> ProtectedResource.builder("/mcp").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("needs at least one issuer");
    }

    /**
     * A browser-based client can log in too: its preflight needs no token, and the 401 lets it read
     * {@code WWW-Authenticate} (where the metadata URL is) through CORS, as the Cors policy exposes it.
     */
    @Test
    void aBrowserClientOnAnotherOriginCanReadTheChallenge() throws Exception {
        HttpResponse<String> preflight = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/browser"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:6274")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(), ofString());
        assertThat(preflight.statusCode()).isBetween(200, 204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:6274");

        HttpResponse<String> refused = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/browser"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Origin", "http://localhost:6274").build(), ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().contains("resource_metadata=");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:6274");
        assertThat(refused.headers().firstValue("Access-Control-Expose-Headers")).get().asString().contains("WWW-Authenticate");

        HttpResponse<String> metadata = gateway.httpClient().send(HttpRequest.newBuilder(
                gateway.uri("/.well-known/oauth-protected-resource/browser")).header("Origin", "http://localhost:6274").build(), ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }
}
