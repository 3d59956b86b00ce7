package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeScript;
import dev.agentgateway.policy.auth.JwtIssuer;
import dev.agentgateway.policy.oauth.AuthorizationServerMetadata;
import dev.agentgateway.policy.oauth.ProtectedResource;
import dev.agentgateway.test.GatewayExtension;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.agentgateway.test.oauth.ResourceTokens;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MCP authorization flow end to end: the official MCP TypeScript SDK client
 * (@modelcontextprotocol/sdk 1.32.2, its {@code ClientCredentialsProvider}) against the gateway
 * protecting server-everything (2026.8.31, stdio) with a {@link ProtectedResource}, tokens from an
 * in-process mock-oauth2-server. The client starts with no token and no knowledge of the
 * authorization server.
 */
class OAuthProtectedMcpTest {
    static final MockOAuth2Server IDP = ResourceTokens.start("idp", 0);
    static final String ISSUER = IDP.issuerUrl("idp").toString();

    static final ProtectedResource MCP = ProtectedResource.builder("/mcp")
            .issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build())
            .actionScopes("list_tools", "tools:read")
            .actionScopes("call_tool", "tools:call")
            .challengeScopes("tools:read")
            .build();

    /** The same server behind a resource whose metadata names the gateway as authorization server, which serves RFC 8414 metadata for the IdP. */
    static final ProtectedResource VIA_GATEWAY = ProtectedResource.builder("/via-gateway")
            .issuer(JwtIssuer.builder(ISSUER).discovery().anyAudience().build())
            .authorizationServerAtGateway()
            .actionScopes("list_tools", "tools:read")
            .actionScopes("call_tool", "tools:call")
            .build();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp").policy(MCP.authentication()).policy(MCP.scopeCheck())
                    .backend(McpBackend.builder()
                            .target(McpTarget.stdio("everything", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                            .build()))
            .routes(MCP.metadataRoutes())
            .route(Route.builder("via-gateway").path("/via-gateway").policy(VIA_GATEWAY.authentication())
                    .policy(VIA_GATEWAY.scopeCheck())
                    .backend(McpBackend.builder()
                            .target(McpTarget.stdio("everything", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                            .build()))
            .route(VIA_GATEWAY.metadataRoute())
            .route(AuthorizationServerMetadata.builder(ISSUER).build().route()));

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    @Test
    void clientDiscoversTheAuthorizationServerGetsATokenForTheResourceAndStepsUpForToolCalls() throws Exception {
        String resource = GATEWAY.uri("/mcp").toString();
        JsonNode result = NodeScript.run("ts-oauth-client.mjs", 120, resource, ISSUER, "challenge");

        assertThat(result.path("errors")).as("errors: %s", result).isEmpty();
        assertThat(strings(result.path("tools"))).as("%s", result).contains("echo");
        assertThat(result.path("echo").asText()).isEqualTo("Echo: hi with a token");
        assertThat(result.path("toolsAfterStepUp").asInt()).as("the stepped-up token kept tools:read").isPositive();

        JsonNode tokens = result.path("tokens");
        assertThat(tokens).as("%s", result).hasSize(2);
        assertThat(tokens.get(0).path("scope").asText()).isEqualTo("tools:read");
        assertThat(tokens.get(1).path("scope").asText()).isEqualTo("tools:read tools:call");
        tokens.forEach(token -> assertThat(token.path("aud").toString()).contains(resource));

        List<String> flow = new ArrayList<>();
        result.path("exchanges").forEach(e -> flow.add(e.path("method").asText() + " " + e.path("path").asText() + " "
                + e.path("status").asInt() + (e.has("rpc") ? " " + e.path("rpc").asText() : "")));
        assertThat(flow).as("%s", result.path("exchanges")).containsSubsequence(
                "POST /mcp 401 initialize",
                "GET /.well-known/oauth-protected-resource/mcp 200",
                "POST /idp/token 200",
                "POST /mcp 200 initialize",
                "POST /mcp 200 tools/list",
                "POST /mcp 403 tools/call",
                "POST /idp/token 200",
                "POST /mcp 200 tools/call");
        JsonNode first = result.path("exchanges").get(0);
        assertThat(first.path("challenge").asText()).isEqualTo("Bearer resource_metadata=\""
                + GATEWAY.uri("/.well-known/oauth-protected-resource/mcp") + "\", scope=\"tools:read\"");
        JsonNode refused = find(result.path("exchanges"), 403);
        assertThat(refused.path("challenge").asText()).startsWith("Bearer scope=\"tools:read tools:call\", resource_metadata=")
                .contains("error=\"insufficient_scope\"");
        List<JsonNode> tokenRequests = new ArrayList<>();
        result.path("exchanges").forEach(e -> {
            if (e.has("form")) {
                tokenRequests.add(e.path("form"));
            }
        });
        assertThat(tokenRequests).allSatisfy(form -> {
            assertThat(form.path("grant_type").asText()).isEqualTo("client_credentials");
            assertThat(form.path("resource").asText()).isEqualTo(resource);
        });
    }

    @Test
    void clientConfiguredWithEnoughScopesNeedsOneTokenAndNoStepUp() throws Exception {
        String resource = GATEWAY.uri("/mcp").toString();
        JsonNode result = NodeScript.run("ts-oauth-client.mjs", 120, resource, ISSUER, "tools:read tools:call");

        assertThat(result.path("errors")).as("errors: %s", result).isEmpty();
        assertThat(result.path("echo").asText()).isEqualTo("Echo: hi with a token");
        assertThat(result.path("tokens")).hasSize(1);
        assertThat(result.path("exchanges").findValuesAsText("status")).doesNotContain("403");
    }

    /**
     * SDK 1.32.2's client-credentials flow asks for its configured scope only, whatever the challenge
     * says (auth.js fetchToken), so without help from the application it cannot step up: the
     * gateway's challenge is right and the client gives up after one retry.
     */
    @Test
    void sdkClientCredentialsProviderAloneDoesNotStepUp() throws Exception {
        String resource = GATEWAY.uri("/mcp").toString();
        JsonNode result = NodeScript.run("ts-oauth-client.mjs", 120, resource, ISSUER, "tools:read");

        assertThat(result.path("tools")).as("%s", result).isNotEmpty();
        assertThat(strings(result.path("errors"))).anySatisfy(error -> assertThat(error)
                .startsWith("echo:").contains("403 after trying upscoping"));
        assertThat(find(result.path("exchanges"), 403).path("challenge").asText())
                .startsWith("Bearer scope=\"tools:read tools:call\"");
        assertThat(result.path("tokens").findValuesAsText("scope")).hasSizeGreaterThan(1).containsOnly("tools:read");
    }

    /**
     * Authorization code + PKCE with a pre-registered client: the SDK authorizes for the resource and
     * the scope of the gateway's challenge, and the token opens the session. Step-up is not asserted:
     * this test's token callback cannot see the scope of the authorization request (a code exchange
     * carries none), so the token has no scope; and on the 403 the SDK refreshed the token (no scope
     * on a refresh) instead of authorizing again, ending in "403 after trying upscoping".
     */
    @Test
    void authorizationCodeClientAuthorizesForTheResourceAndTheChallengedScope() throws Exception {
        String resource = GATEWAY.uri("/mcp").toString();
        JsonNode result = NodeScript.run("ts-oauth-code.mjs", 120, resource, ISSUER);

        assertThat(result.path("connect").asBoolean()).as("%s", result).isTrue();
        JsonNode authorization = result.path("authorizations").get(0);
        assertThat(authorization.path("scope").asText()).isEqualTo("tools:read");
        assertThat(authorization.path("resource").asText()).isEqualTo(resource);
        assertThat(authorization.path("code_challenge_method").asText()).isEqualTo("S256");
        assertThat(result.path("tokens").get(0).path("aud").toString()).contains(resource);
        List<String> flow = new ArrayList<>();
        result.path("exchanges").forEach(e -> flow.add(e.path("method").asText() + " " + e.path("path").asText() + " "
                + e.path("status").asInt() + (e.has("rpc") ? " " + e.path("rpc").asText() : "")));
        assertThat(flow).containsSubsequence("POST /mcp 401 initialize", "GET /.well-known/oauth-protected-resource/mcp 200",
                "POST /idp/token 200", "POST /mcp 200 initialize");
        assertThat(result.path("exchanges").findValuesAsText("grant_type")).as("%s", result.path("exchanges"))
                .startsWith("authorization_code", "refresh_token");
    }

    @Test
    void clientFindsTheAuthorizationServerMetadataTheGatewayServesForTheIdp() throws Exception {
        String resource = GATEWAY.uri("/via-gateway").toString();
        String origin = GATEWAY.uri("/").toString().replaceAll("/$", "");
        JsonNode result = NodeScript.run("ts-oauth-client.mjs", 120, resource, origin, "challenge");

        assertThat(result.path("errors")).as("errors: %s", result).isEmpty();
        assertThat(result.path("echo").asText()).isEqualTo("Echo: hi with a token");
        List<String> flow = new ArrayList<>();
        result.path("exchanges").forEach(e -> flow.add(e.path("method").asText() + " " + e.path("path").asText() + " "
                + e.path("status").asInt()));
        assertThat(flow).as("%s", result.path("exchanges")).containsSubsequence("POST /via-gateway 401",
                "GET /.well-known/oauth-protected-resource/via-gateway 200", "GET /.well-known/oauth-authorization-server 200",
                "POST /idp/token 200", "POST /via-gateway 200");
    }

    private static JsonNode find(JsonNode exchanges, int status) {
        for (JsonNode exchange : exchanges) {
            if (exchange.path("status").asInt() == status) {
                return exchange;
            }
        }
        throw new AssertionError("no " + status + " in " + exchanges);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
