package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Federation rules over Streamable HTTP targets: pagination with a gateway cursor, the tool filter, the
 * recorded {@link Operation}, credentials, failure modes, upstream session expiry and metrics.
 */
class FederationPolicyTest {
    static final FakeMcpServer ONE = new FakeMcpServer("one", 5, 2);
    static final FakeMcpServer TWO = new FakeMcpServer("two", 3, 10);
    static final List<Operation> OPERATIONS = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final FakeUpstream UPSTREAM_ONE = FakeUpstream.of(ONE);
    @RegisterExtension
    static final FakeUpstream UPSTREAM_TWO = FakeUpstream.of(TWO);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .policy((exchange, next) -> {
                        Operation operation = exchange.attribute(Operation.KEY);
                        if (operation != null) {
                            OPERATIONS.add(operation);
                        }
                        return next.proceed(exchange);
                    })
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM_ONE.url() + "/mcp"))
                                    .withBearerToken("one-secret"))
                            .target(McpTarget.streamableHttp("two", URI.create(UPSTREAM_TWO.url() + "/mcp"))
                                    .withAuthorizationPassthrough(true))
                            .toolFilter(ToolFilter.denyOnly("two_tool2"))
                            .build()))
            .route(Route.builder("open").path("/open")
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM_ONE.url() + "/mcp")))
                            .target(McpTarget.streamableHttp("two", URI.create(UPSTREAM_TWO.url() + "/mcp")))
                            .failureMode(FailureMode.FAIL_OPEN)
                            .build())));

    private static RawMcpClient client(String path) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri(path));
        client.initialize(RawMcpClient.object());
        return client;
    }

    @Test
    void pagesFollowTheGatewayCursorAcrossTargets() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            List<String> names = new ArrayList<>();
            List<String> cursors = new ArrayList<>();
            ObjectNode params = null;
            do {
                JsonNode result = client.call("tools/list", params).path("result");
                result.path("tools").forEach(t -> names.add(t.path("name").asText()));
                String next = result.path("nextCursor").asText(null);
                cursors.add(next);
                params = next == null ? null : RawMcpClient.object().put("cursor", next);
            } while (params != null);
            assertThat(names).containsExactly("one_tool0", "one_tool1", "two_tool0", "two_tool1", "one_tool2", "one_tool3", "one_tool4");
            assertThat(cursors).hasSize(3).last().isNull();
            JsonNode forged = client.call("tools/list", RawMcpClient.object().put("cursor", "p2"));
            assertThat(forged.path("error").path("code").asInt()).isEqualTo(-32602);
        }
    }

    @Test
    void unknownFieldsOfListItemsPassThrough() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            JsonNode tool = client.call("tools/list", null).path("result").path("tools").path(1);
            assertThat(tool.path("_meta").path("vendor/x").asInt()).isEqualTo(1);
        }
    }

    @Test
    void theToolFilterHidesToolsFromListsAndCalls() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            JsonNode listed = client.call("tools/list", RawMcpClient.object()).path("result");
            List<String> names = new ArrayList<>();
            listed.path("tools").forEach(t -> names.add(t.path("name").asText()));
            assertThat(names).doesNotContain("two_tool2");
            JsonNode denied = client.call("tools/call", RawMcpClient.object().put("name", "two_tool2"));
            assertThat(denied.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(denied.path("error").path("message").asText()).isEqualTo("Unknown tool: two_tool2");
            JsonNode unknownTarget = client.call("tools/call", RawMcpClient.object().put("name", "three_tool0"));
            assertThat(unknownTarget.path("error").path("message").asText()).isEqualTo("Unknown tool: three_tool0");
        }
    }

    @Test
    void policiesSeeTheOperationOfEachRequest() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            OPERATIONS.clear();
            ObjectNode params = RawMcpClient.object().put("name", "one_tool1");
            params.putObject("arguments").put("city", "Oslo");
            client.call("tools/call", params);
            Operation call = OPERATIONS.stream().filter(o -> o.action().equals("call_tool")).findFirst().orElseThrow();
            assertThat(call.protocol()).isEqualTo("mcp");
            assertThat(call.resourceType()).isEqualTo("Tool");
            assertThat(call.resourceId()).isEqualTo("one_tool1");
            assertThat(call.context()).containsEntry("method", "tools/call").containsEntry("target", "one")
                    .containsEntry("name", "tool1");
            assertThat(call.context().get("arguments")).isEqualTo(java.util.Map.of("city", "Oslo"));
        }
    }

    @Test
    void theClientsAuthorizationReachesOnlyTargetsThatPassItThrough() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            ONE.authorizations().clear();
            TWO.authorizations().clear();
            for (String tool : List.of("one_tool0", "two_tool0")) {
                String body = client.request("tools/call", RawMcpClient.object().put("name", tool)).toString();
                HttpResponse<String> response = client.http().send(client.builder().header("Authorization", "Bearer client-token")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            assertThat(ONE.authorizations()).containsExactly("Bearer one-secret");
            assertThat(TWO.authorizations()).containsExactly("Bearer client-token");
        }
    }

    @Test
    void anExpiredUpstreamSessionIsReinitialisedTransparently() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            int before = ONE.initializes();
            ONE.forgetSessions();
            JsonNode response = client.call("tools/call", RawMcpClient.object().put("name", "one_tool0"));
            assertThat(response.path("result").path("content").path(0).path("text").asText()).startsWith("one:tool0");
            assertThat(ONE.initializes()).isEqualTo(before + 1);
            double restarts = GATEWAY.meterRegistry().counter("agentgateway.mcp.upstream.restarts", "gateway", "agentgateway",
                    "gateway.backend", "mcp", "mcp.target", "one").count();
            assertThat(restarts).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void failOpenSkipsAFailingTargetAndFailClosedDoesNot() throws Exception {
        try (RawMcpClient open = client("/open"); RawMcpClient closed = client("/mcp")) {
            TWO.failing(true);
            try {
                JsonNode skipped = open.call("tools/list", null).path("result").path("tools");
                assertThat(skipped).isNotEmpty();
                assertThat(skipped).allSatisfy(t -> assertThat(t.path("name").asText()).startsWith("one_"));
                JsonNode failed = closed.call("tools/list", null);
                assertThat(failed.path("error").path("code").asInt()).isEqualTo(-32603);
                assertThat(failed.path("error").path("message").asText()).contains("two");
            } finally {
                TWO.failing(false);
            }
        }
    }

    @Test
    void requestsAreMeteredByMethodTargetAndOutcome() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            client.call("tools/call", RawMcpClient.object().put("name", "two_tool1"));
            Timer timer = GATEWAY.meterRegistry().find("agentgateway.mcp.requests")
                    .tags("mcp.method.name", "tools/call", "mcp.target", "two", "outcome", "ok").timer();
            assertThat(timer).isNotNull();
            assertThat(timer.count()).isPositive();
            assertThat(GATEWAY.meterRegistry().find("agentgateway.mcp.sessions.active").gauge().value()).isPositive();
        }
    }
}
