package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkHttpServer;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session id is a sealed token naming the upstream sessions: a second gateway with the same key
 * serves the same session (same upstream session, no new handshake) without a shared store.
 */
class SessionResumptionTest {
    static final String KEY = HexFormat.of().formatHex(new byte[32]).replace("00", "5a");
    static final SdkHttpServer UPSTREAM = new SdkHttpServer(transport -> SdkServers.calculator(transport, "calc"));

    static McpBackend backend(String key, Duration idle) {
        return McpBackend.builder()
                .target(McpTarget.streamableHttp("calc", UPSTREAM.uri()))
                .sessionKeyHex(key)
                .sessionIdleTimeout(idle)
                .build();
    }

    @RegisterExtension
    static final GatewayExtension A = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp").backend(backend(KEY, Duration.ofMinutes(5)))));
    @RegisterExtension
    static final GatewayExtension B = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp").backend(backend(KEY, Duration.ofMinutes(5)))));
    @RegisterExtension
    static final GatewayExtension OTHER_KEY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(backend(KEY.replace('5', '6'), Duration.ofMinutes(5)))));
    @RegisterExtension
    static final GatewayExtension SHORT_LIVED = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(backend(KEY, Duration.ofSeconds(1)))));

    @AfterAll
    static void stop() throws Exception {
        UPSTREAM.close();
    }

    private static String whoami(RawMcpClient client) throws Exception {
        JsonNode response = client.call("tools/call", RawMcpClient.object().put("name", "whoami"));
        if (response.has("error")) {
            throw new IllegalStateException(response.toString());
        }
        return response.path("result").path("content").path(0).path("text").asText();
    }

    @Test
    void aClientSwitchingBetweenGatewaysKeepsItsSessionAndUpstreamSession() throws Exception {
        try (RawMcpClient viaA = new RawMcpClient(A.uri("/mcp"))) {
            viaA.initialize(RawMcpClient.object());
            String upstreamSession = whoami(viaA);
            try (RawMcpClient viaB = new RawMcpClient(B.uri("/mcp")).sessionId(viaA.sessionId())) {
                assertThat(whoami(viaB)).isEqualTo(upstreamSession);
                assertThat(viaB.call("tools/call", RawMcpClient.object().put("name", "add")
                        .set("arguments", RawMcpClient.object().put("a", 1).put("b", 2))).path("result").path("content").path(0).path("text").asText())
                        .isEqualTo("calc: 3");
            }
            assertThat(whoami(viaA)).isEqualTo(upstreamSession);
        }
    }

    @Test
    void aGatewayWithAnotherKeyDoesNotKnowTheSession() throws Exception {
        try (RawMcpClient viaA = new RawMcpClient(A.uri("/mcp"))) {
            viaA.initialize(RawMcpClient.object());
            try (RawMcpClient stranger = new RawMcpClient(OTHER_KEY.uri("/mcp")).sessionId(viaA.sessionId())) {
                assertThat(stranger.post(stranger.request("ping", null)).statusCode()).isEqualTo(404);
            }
        }
    }

    @Test
    void anIdleSessionExpiresAndIsThen404() throws Exception {
        try (RawMcpClient client = new RawMcpClient(SHORT_LIVED.uri("/mcp"))) {
            client.initialize(RawMcpClient.object());
            assertThat(client.post(client.request("ping", null)).statusCode()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int status = 200;
            while (status == 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = client.post(client.request("ping", null)).statusCode();
                if (status == 200) {
                    Thread.sleep(1500); // leave the session idle long enough to be swept
                }
            }
            assertThat(status).isEqualTo(404);
        }
    }
}
