package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behind an authentication policy that removes the client's credential from the request, a target that
 * passes authorization through still gets the accepted bearer token, and only that kind of credential.
 */
class AuthorizationPassthroughTest {
    static final FakeMcpServer KEPT = new FakeMcpServer("kept", 1, 10);
    static final FakeMcpServer PASSED = new FakeMcpServer("passed", 1, 10);

    @RegisterExtension
    static final FakeUpstream UPSTREAM_KEPT = FakeUpstream.of(KEPT);
    @RegisterExtension
    static final FakeUpstream UPSTREAM_PASSED = FakeUpstream.of(PASSED);

    /** Accepts a bearer token or an X-Api-Key, stores it as the credential and strips it, as Authentication does. */
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .policy((exchange, next) -> {
                        String authorization = exchange.requestHeaders().get("Authorization");
                        String apiKey = exchange.requestHeaders().get("X-Api-Key");
                        if (authorization != null && authorization.startsWith("Bearer ")) {
                            exchange.attribute(Credential.KEY, Credential.bearer(authorization.substring(7)));
                            exchange.attribute(Principal.KEY, Principal.of("alice", "jwt"));
                        } else if (apiKey != null) {
                            exchange.attribute(Credential.KEY, new Credential("api-key", apiKey));
                            exchange.attribute(Principal.KEY, Principal.of("alice", "api-key"));
                        }
                        exchange.requestHeaders().remove("Authorization");
                        exchange.requestHeaders().remove("X-Api-Key");
                        return next.proceed(exchange);
                    })
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("kept", URI.create(UPSTREAM_KEPT.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("passed", URI.create(UPSTREAM_PASSED.url() + "/mcp"))
                                    .withAuthorizationPassthrough(true))
                            .build())));

    @BeforeEach
    void forgetAuthorizations() {
        KEPT.authorizations().clear();
        PASSED.authorizations().clear();
    }

    private static void callBothTargets(String header, String value) throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp")).header(header, value)) {
            client.initialize(RawMcpClient.object());
            for (String tool : new String[] {"kept_tool0", "passed_tool0"}) {
                assertThat(client.call("tools/call", RawMcpClient.object().put("name", tool)).has("result")).isTrue();
            }
        }
    }

    @Test
    void aBearerTokenThePolicyStrippedReachesOnlyThePassthroughTarget() throws Exception {
        callBothTargets("Authorization", "Bearer client-token");

        assertThat(PASSED.authorizations()).containsExactly("Bearer client-token");
        assertThat(KEPT.authorizations()).containsExactly("none");
    }

    @Test
    void aCredentialThatIsNotABearerTokenIsNotTurnedIntoAnAuthorizationHeader() throws Exception {
        callBothTargets("X-Api-Key", "key-123");

        assertThat(PASSED.authorizations()).containsExactly("none");
        assertThat(KEPT.authorizations()).containsExactly("none");
    }
}
