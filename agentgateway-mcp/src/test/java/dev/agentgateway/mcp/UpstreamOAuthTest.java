package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.JwtAuth;
import dev.agentgateway.policy.auth.JwtIssuer;
import dev.agentgateway.policy.upstream.ClientCredentials;
import dev.agentgateway.policy.upstream.TokenExchange;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No confused deputy, end to end: the caller's token (audience: the gateway) never reaches the
 * upstream MCP server, which is itself a resource server accepting only tokens for its own audience.
 * One target gets the caller's token exchanged (RFC 8693) for one with the upstream's audience, keeping
 * the caller as subject; another authenticates as the gateway itself (client credentials). Tokens come
 * from an in-process mock-oauth2-server.
 */
class UpstreamOAuthTest {
    static final MockOAuth2Server IDP = startedIdp();
    static final String ISSUER = IDP.issuerUrl("idp").toString();
    static final String TOKEN_ENDPOINT = IDP.tokenEndpointUrl("idp").toString();
    static final FakeMcpServer TOOLS = new FakeMcpServer("tools", 1, 10);

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @RegisterExtension
    static final FakeUpstream TOOLS_UPSTREAM = FakeUpstream.of(TOOLS);

    /** The upstream MCP server as a resource server: only tokens for "tools-server"; it shows the token it accepted to TOOLS. */
    @RegisterExtension
    static final GatewayExtension UPSTREAM = GatewayExtension.of(g -> g
            .route(Route.builder("tools").path("/mcp")
                    .policy(Authentication.required(JwtAuth.builder()
                            .issuer(JwtIssuer.builder(ISSUER).discovery().audience("tools-server").build()).build()))
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("tools", URI.create(TOOLS_UPSTREAM.url() + "/mcp"))
                                    .withAuthorizationPassthrough(true))
                            .build())));

    static final JwtAuth CALLERS = JwtAuth.builder().issuer(JwtIssuer.builder(ISSUER).discovery().audience("gateway").build()).build();

    /** A route of its own per way of authenticating upstream, each with one target named "tools". */
    static Route route(String path, McpTarget target) {
        return Route.builder(path.substring(1)).path(path).policy(Authentication.required(CALLERS))
                .backend(McpBackend.builder().target(target).build()).build();
    }

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(route("/exchanged", McpTarget.streamableHttp("tools", UPSTREAM.uri("/mcp"))
                    .withCredentials(TokenExchange.builder().tokenEndpoint(TOKEN_ENDPOINT)
                            .clientSecretBasic("agentgateway", "gateway-secret").audience("tools-server").build())))
            .route(route("/service", McpTarget.streamableHttp("tools", UPSTREAM.uri("/mcp"))
                    .withCredentials(ClientCredentials.builder().issuer(ISSUER)
                            .clientSecretBasic("agentgateway", "gateway-secret").scopes("tools-server").build())))
            .route(route("/forwarded", McpTarget.streamableHttp("tools", UPSTREAM.uri("/mcp")).withAuthorizationPassthrough(true))));

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    @BeforeEach
    void forget() {
        TOOLS.authorizations().clear();
    }

    private static String callerToken(String subject) {
        return IDP.issueToken("idp", subject, "gateway", Map.of(), 300).serialize();
    }

    private static JWTClaimsSet tokenSeenUpstream() throws Exception {
        assertThat(TOOLS.authorizations()).hasSize(1);
        String authorization = TOOLS.authorizations().getFirst();
        assertThat(authorization).startsWith("Bearer ");
        return SignedJWT.parse(authorization.substring(7)).getJWTClaimsSet();
    }

    /** Opens a session on {@code path} with {@code token} and calls the one tool; the JSON-RPC answer. */
    private static String call(String path, String token) throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri(path)).header("Authorization", "Bearer " + token)) {
            client.initialize(RawMcpClient.object());
            String tool = client.call("tools/list", RawMcpClient.object()).path("result").path("tools").get(0).path("name").asText();
            return client.call("tools/call", RawMcpClient.object().put("name", tool)).toString();
        }
    }

    @Test
    void theCallersTokenIsExchangedForOneOfTheUpstreamsAudienceKeepingTheCaller() throws Exception {
        String alice = callerToken("alice");
        assertThat(call("/exchanged", alice)).contains("\"result\"");

        JWTClaimsSet seen = tokenSeenUpstream();
        assertThat(seen.getAudience()).containsExactly("tools-server");
        assertThat(seen.getSubject()).isEqualTo("alice");
        assertThat(TOOLS.authorizations().getFirst()).doesNotContain(alice);
    }

    @Test
    void theGatewayAuthenticatesAsItselfWithClientCredentials() throws Exception {
        assertThat(call("/service", callerToken("bob"))).contains("\"result\"");

        JWTClaimsSet seen = tokenSeenUpstream();
        assertThat(seen.getAudience()).contains("tools-server");
        assertThat(seen.getSubject()).isEqualTo("agentgateway");
    }

    @Test
    void passingTheCallersTokenThroughIsRefusedByAnUpstreamThatChecksItsAudience() {
        assertThatThrownBy(() -> call("/forwarded", callerToken("carol")))
                .hasMessageContaining("target 'tools'").hasMessageContaining("401");
        assertThat(TOOLS.authorizations()).isEmpty();
    }
}
