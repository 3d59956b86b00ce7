package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At most {@code maxSessions} client sessions live in one gateway: a new one beyond ends the session
 * unused the longest, whose client gets 404 and initialises again; the others are untouched.
 */
class SessionLimitTest {
    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder().maxSessions(2)
                    .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc"))).build())));

    private static JsonNode add(RawMcpClient client) throws Exception {
        return client.call("tools/call", RawMcpClient.object().put("name", "add")
                .set("arguments", RawMcpClient.object().put("a", 2).put("b", 3)));
    }

    private static double evicted() {
        Counter counter = gateway.meterRegistry().find("agentgateway.mcp.sessions.evicted").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aThirdSessionEndsTheOneUnusedTheLongest() throws Exception {
        try (RawMcpClient first = new RawMcpClient(gateway.uri("/mcp"));
             RawMcpClient second = new RawMcpClient(gateway.uri("/mcp"));
             RawMcpClient third = new RawMcpClient(gateway.uri("/mcp"))) {
            first.initialize(RawMcpClient.object());
            second.initialize(RawMcpClient.object());
            assertThat(add(first).path("result").path("content").path(0).path("text").asText()).isEqualTo("calc: 5");
            double before = evicted();

            third.initialize(RawMcpClient.object()); // second is now the one unused the longest

            assertThat(second.post(second.request("ping", null)).statusCode()).as("ended: the client must initialise again").isEqualTo(404);
            assertThat(evicted()).isEqualTo(before + 1);
            assertThat(add(first).path("result").path("content").path(0).path("text").asText()).isEqualTo("calc: 5");
            assertThat(add(third).path("result").path("content").path(0).path("text").asText()).isEqualTo("calc: 5");

            second.sessionId(null);
            second.initialize(RawMcpClient.object());
            assertThat(add(second).path("result").path("content").path(0).path("text").asText())
                    .as("initialised again, it works; the cap ended another").isEqualTo("calc: 5");
            assertThat(evicted()).isEqualTo(before + 2);
        }
    }

    @Test
    void aCapBelowOneIsRefusedAtBuild() {
        assertThatIllegalArgumentException().isThrownBy(() -> McpBackend.builder().maxSessions(0)).withMessageContaining("maxSessions");
    }
}
