package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamCredentials;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Per-principal upstream credentials: every request the gateway sends a target (the handshake included)
 * carries the token of the caller it is made for, and a caller without one never reaches the target.
 */
class UpstreamCredentialsTest {
    static final Map<String, String> VAULT_TOKENS = Map.of("alice", "token-of-alice", "bob", "token-of-bob");
    static final Set<String> ACCEPTED = Set.of("Bearer token-of-alice", "Bearer token-of-bob");
    static final FakeMcpServer VAULT = new FakeMcpServer("vault", 1, 10);
    static final FakeMcpServer OPEN = new FakeMcpServer("open", 1, 10);
    /** "method Authorization" of every request the vault target received. */
    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeUpstream UPSTREAM_VAULT = FakeUpstream.of((request, response) -> {
        String authorization = request.header("Authorization");
        JsonNode body = request.body().length == 0 ? null : RawMcpClient.parse(new String(request.body()));
        SEEN.add((body == null ? request.method() : body.path("method").asText("response")) + " "
                + (authorization == null ? "none" : authorization));
        if (!ACCEPTED.contains(authorization)) { // as a real resource server does
            response.status(401).header("WWW-Authenticate", "Bearer").write("unauthorized");
            return;
        }
        VAULT.handle(request, response);
    });
    @RegisterExtension
    static final FakeUpstream UPSTREAM_OPEN = FakeUpstream.of(OPEN);

    static Route route(String name, String path, FailureMode failureMode) {
        return Route.builder(name).path(path)
                .policy((exchange, next) -> { // the principal is named by X-User, as an authentication policy would set it
                    String user = exchange.requestHeaders().get("X-User");
                    if (user != null) {
                        exchange.attribute(Principal.KEY, Principal.of(user, "test"));
                    }
                    return next.proceed(exchange);
                })
                .backend(McpBackend.builder()
                        .failureMode(failureMode)
                        .target(McpTarget.streamableHttp("vault", URI.create(UPSTREAM_VAULT.url() + "/mcp"))
                                .withCredentials(UpstreamCredentials.perPrincipal(
                                        principal -> Optional.ofNullable(VAULT_TOKENS.get(principal.subject())))))
                        .target(McpTarget.streamableHttp("open", URI.create(UPSTREAM_OPEN.url() + "/mcp")))
                        .build())
                .build();
    }

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(route("strict", "/mcp", FailureMode.FAIL_CLOSED))
            .route(route("degraded", "/degraded", FailureMode.FAIL_OPEN)));

    @BeforeEach
    void forget() {
        SEEN.clear();
        VAULT.authorizations().clear();
    }

    private static JsonNode callVault(RawMcpClient client) throws Exception {
        return client.call("tools/call", RawMcpClient.object().put("name", "vault_tool0"));
    }

    @Test
    void everyRequestOfASessionCarriesItsPrincipalsToken() throws Exception {
        for (String user : List.of("alice", "bob")) {
            try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp")).header("X-User", user)) {
                client.initialize(RawMcpClient.object());
                assertThat(callVault(client).path("result").path("content").get(0).path("text").asText())
                        .startsWith("vault:tool0");
            }
        }

        assertThat(VAULT.authorizations()).containsExactly("Bearer token-of-alice", "Bearer token-of-bob");
        assertThat(SEEN).contains("initialize Bearer token-of-alice", "notifications/initialized Bearer token-of-alice",
                        "tools/call Bearer token-of-alice", "initialize Bearer token-of-bob", "tools/call Bearer token-of-bob")
                .allMatch(seen -> seen.endsWith("token-of-alice") || seen.endsWith("token-of-bob"));
    }

    @Test
    void aPrincipalWithoutATokenIsRefusedWithAClearReasonAndNeverReachesTheTarget() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp")).header("X-User", "carol")) {
            assertThatThrownBy(() -> client.initialize(RawMcpClient.object()))
                    .hasMessageContaining("target 'vault'").hasMessageContaining("no upstream credentials for test principal 'carol'");
        }
        try (RawMcpClient anonymous = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            assertThatThrownBy(() -> anonymous.initialize(RawMcpClient.object()))
                    .hasMessageContaining("no upstream credentials for an anonymous caller");
        }

        assertThat(SEEN).isEmpty();
    }

    @Test
    void withFailOpenTheOtherTargetsStillServeACallerWithoutToken() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/degraded")).header("X-User", "carol")) {
            client.initialize(RawMcpClient.object());
            assertThat(client.call("tools/call", RawMcpClient.object().put("name", "open_tool0")).has("result")).isTrue();
            assertThat(callVault(client).path("error").path("message").asText()).isNotEmpty();
        }

        assertThat(SEEN).isEmpty();
    }
}
