package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rate limit per MCP tool: calls of one tool beyond its limit get HTTP 429 with a JSON-RPC error,
 * {@code Retry-After} and the {@code RateLimit} headers; other tools and the session's own traffic
 * (lists, initialize) are not counted, and nothing refused reaches the server.
 */
class RateLimitedMcpTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .policy(RateLimit.builder().limit(Limit.of("per-tool", 2, Duration.ofHours(1)).key(RateLimitKey.mcpTool())).build())
            .backend(McpBackend.builder()
                    .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc")))
                    .build())));

    @Test
    void callsOfOneToolBeyondItsLimitAreRefusedInJsonRpc() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            client.initialize(RawMcpClient.object());
            for (int i = 0; i < 3; i++) {
                assertThat(client.call("tools/list", RawMcpClient.object()).path("result").path("tools").size()).isPositive();
            }
            assertThat(text(client.call("tools/call", add(1, 2)))).isEqualTo("calc: 3");
            assertThat(text(client.call("tools/call", add(2, 2)))).isEqualTo("calc: 4");
            ObjectNode third = client.request("tools/call", add(3, 2));
            HttpResponse<String> refused = client.post(third);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1800");
            assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue("\"per-tool\";q=2;w=3600");
            JsonNode error = RawMcpClient.parse(refused.body());
            assertThat(error.path("id")).isEqualTo(third.get("id"));
            assertThat(error.path("error").path("message").asText()).contains("per-tool");
            assertThat(error.path("error").path("data").path("code").asText()).isEqualTo("rate_limited");
            ObjectNode whoami = RawMcpClient.object().put("name", "whoami");
            whoami.putObject("arguments");
            assertThat(client.call("tools/call", whoami).has("result")).as("another tool has its own bucket").isTrue();
        }
    }

    private static ObjectNode add(int a, int b) {
        ObjectNode params = RawMcpClient.object().put("name", "add");
        params.putObject("arguments").put("a", a).put("b", b);
        return params;
    }

    private static String text(JsonNode response) {
        return response.path("result").path("content").path(0).path("text").asText();
    }
}
