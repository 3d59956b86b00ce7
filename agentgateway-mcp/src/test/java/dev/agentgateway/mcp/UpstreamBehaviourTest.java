package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Streamable HTTP upstream that is slow, drops connections, resumes streams and speaks an older version. */
class UpstreamBehaviourTest {
    static final FakeMcpServer SERVER = new FakeMcpServer("fake", 3, 10);

    @RegisterExtension
    static final FakeUpstream UPSTREAM = FakeUpstream.of(SERVER);

    static final dev.agentgateway.mcp.support.FakeSseServer LEGACY = new dev.agentgateway.mcp.support.FakeSseServer();
    @RegisterExtension
    static final FakeUpstream LEGACY_UPSTREAM = FakeUpstream.of(LEGACY);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("fake", URI.create(UPSTREAM.url() + "/mcp")).withRequestTimeout(Duration.ofSeconds(30)))
                    .build()))
            .route(Route.builder("legacy").path("/legacy").backend(McpBackend.builder()
                    .target(McpTarget.sse("old", URI.create(LEGACY_UPSTREAM.url() + "/sse")))
                    .build()))
            .route(Route.builder("impatient").path("/impatient").backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("fake", URI.create(UPSTREAM.url() + "/mcp")).withRequestTimeout(Duration.ofMillis(500)))
                    .build())));

    private static RawMcpClient client() throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        client.initialize(RawMcpClient.object());
        return client;
    }

    @Test
    void aClientsCancellationReachesTheUpstreamWithTheUpstreamsId() throws Exception {
        try (RawMcpClient client = client()) {
            // only this test's slow call: another test's (other session, other upstream id) may be recorded already
            int seen = SERVER.requests().size();
            ObjectNode call = client.request("tools/call", RawMcpClient.object().put("name", "slow"));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.post(call).body();
                } catch (Exception e) {
                    return e.toString();
                }
            });
            JsonNode upstreamCall = null;
            for (int i = 0; i < 500 && upstreamCall == null; i++) {
                upstreamCall = SERVER.requests().stream().skip(seen).filter(r -> r.path("params").path("name").asText().equals("slow"))
                        .findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertThat(upstreamCall).as("the slow call reached the upstream").isNotNull();
            ObjectNode params = RawMcpClient.object().put("reason", "user gave up");
            params.set("requestId", call.get("id"));
            assertThat(client.post(RawMcpClient.notification("notifications/cancelled", params)).statusCode()).isEqualTo(202);
            String upstreamId = upstreamCall.get("id").asText();
            JsonNode cancelled = null;
            for (int i = 0; i < 500 && cancelled == null; i++) {
                // upstream ids are per upstream session, so match the reason too
                cancelled = SERVER.notifications().stream().filter(n -> n.path("method").asText().equals("notifications/cancelled")
                        && n.path("params").path("requestId").asText().equals(upstreamId)
                        && n.path("params").path("reason").asText().equals("user gave up")).findFirst().orElse(null);
                Thread.sleep(20);
            }
            assertThat(cancelled).isNotNull();
            assertThat(cancelled.path("params").path("reason").asText()).isEqualTo("user gave up");
            assertThat(answer.join()).contains("\"error\"");
        }
    }

    @Test
    void aCallThatOutlivesTheTargetsTimeoutGetsAnErrorAndTheUpstreamACancellation() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/impatient"))) {
            client.initialize(RawMcpClient.object());
            int before = SERVER.requests().size();
            JsonNode answer = client.call("tools/call", RawMcpClient.object().put("name", "slow"));
            assertThat(answer.path("error").path("code").asInt()).isEqualTo(-32001);
            assertThat(answer.path("error").path("message").asText()).contains("timed out");
            String upstreamId = SERVER.requests().subList(before, SERVER.requests().size()).stream()
                    .filter(r -> r.path("params").path("name").asText().equals("slow")).findFirst().orElseThrow().get("id").asText();
            boolean cancelled = false;
            for (int i = 0; i < 200 && !cancelled; i++) {
                cancelled = SERVER.notifications().stream().anyMatch(n -> n.path("method").asText().equals("notifications/cancelled")
                        && n.path("params").path("requestId").asText().equals(upstreamId)
                        && n.path("params").path("reason").asText().contains("timed out"));
                Thread.sleep(20);
            }
            assertThat(cancelled).isTrue();
        }
    }

    @Test
    void anUpstreamThatDropsTheConnectionMidCallGivesAJsonRpcErrorAndTheSessionGoesOn() throws Exception {
        try (RawMcpClient client = client()) {
            JsonNode dropped = client.call("tools/call", RawMcpClient.object().put("name", "drop"));
            assertThat(dropped.path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(dropped.path("error").path("message").asText()).contains("fake");
            JsonNode next = client.call("tools/call", RawMcpClient.object().put("name", "tool1"));
            assertThat(next.path("result").path("content").path(0).path("text").asText()).startsWith("fake:tool1");
        }
    }

    @Test
    void aLegacySseUpstreamWhoseStreamDropsFailsTheCallAndIsReestablished() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/legacy"))) {
            client.initialize(RawMcpClient.object());
            String before = client.call("tools/call", RawMcpClient.object().put("name", "echo"))
                    .path("result").path("content").path(0).path("text").asText();
            assertThat(before).startsWith("echo from ");
            int streams = LEGACY.streamsOpened();
            JsonNode dropped = client.call("tools/call", RawMcpClient.object().put("name", "drop"));
            assertThat(dropped.path("error").path("code").asInt()).isEqualTo(-32603);
            assertThat(dropped.path("error").path("message").asText()).contains("old");
            String after = client.call("tools/call", RawMcpClient.object().put("name", "echo"))
                    .path("result").path("content").path(0).path("text").asText();
            assertThat(after).startsWith("echo from ").isNotEqualTo(before);
            assertThat(LEGACY.streamsOpened()).isEqualTo(streams + 1);
        }
    }

    @Test
    void aDroppedUpstreamStreamIsResumedWithLastEventId() throws Exception {
        try (RawMcpClient client = client()) {
            ObjectNode params = RawMcpClient.object().put("name", "flaky");
            params.putObject("_meta").put("progressToken", "mine");
            JsonNode answer = client.call("tools/call", params);
            assertThat(answer.path("result").path("content").path(0).path("text").asText()).as("%s", answer).isEqualTo("survived the drop");
            List<Integer> progress = client.received().stream().filter(m -> m.path("method").asText().equals("notifications/progress"))
                    .peek(m -> assertThat(m.path("params").path("progressToken").asText()).isEqualTo("mine"))
                    .map(m -> m.path("params").path("progress").asInt()).toList();
            assertThat(progress).containsExactly(1, 2);
        }
    }

    @Test
    void theUpstreamsProtocolVersionIsNegotiatedApartFromTheClients() throws Exception {
        SERVER.answeredVersion("2025-03-26");
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            JsonNode init = client.initialize(RawMcpClient.object());
            assertThat(init.path("protocolVersion").asText()).isEqualTo("2025-11-25");
            SERVER.protocolHeaders().clear();
            client.call("tools/list", null);
            assertThat(SERVER.protocolHeaders()).containsOnly("2025-03-26");
        } finally {
            SERVER.answeredVersion(null);
        }
    }
}
