package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code @a2a-js/sdk} 1.3.0 on both sides of the gateway: the SDK's agent serving v1.0 and v0.3, the SDK's
 * clients discovering it through the gateway and sending, streaming, getting and cancelling tasks over
 * v1.0 JSON-RPC, v1.0 REST, v0.3 JSON-RPC and v0.3 REST.
 */
class SdkInteropTest {
    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("shouter").pathPrefix("/agents/shouter").backend(A2aBackend.of(agent.url()))));

    @Test
    void sdkClientsOfBothVersionsAndBindingsWorkThroughTheGatewayAndOnlyThroughIt() throws Exception {
        String base = gateway.uri("/agents/shouter").toString();
        JsonNode out;
        try (NodePeer client = NodePeer.start("client.mjs", Map.of("AGENT_BASE", base))) {
            out = client.await(line -> line.has("runs") || line.has("error"), "results", Duration.ofSeconds(90));
            assertThat(out.has("error")).as("client failed: %s\nstderr: %s", out.path("error").asText(), client.stderrText()).isFalse();
        }

        // Every fetch of every SDK client went to the gateway; none to the agent.
        assertThat(out.get("fetched")).isNotEmpty().allSatisfy(url -> assertThat(url.asText()).startsWith(base));
        assertThat(out.get("fetched").toString()).doesNotContain(agent.url());
        String gatewayAuthority = gateway.uri().getAuthority();
        for (JsonNode request : agent.requests()) {
            assertThat(gatewayAuthority.equals(request.path("forwardedHost").asText())
                    || "agentgateway".equals(request.path("userAgent").asText())).as("%s came through the gateway", request).isTrue();
        }

        for (String run : List.of("v10_jsonrpc", "v10_rest", "v03_jsonrpc", "v03_rest")) {
            JsonNode result = out.at("/runs/" + run);
            assertThat(result.get("sentState").asText()).as(run).isEqualTo("TASK_STATE_COMPLETED");
            assertThat(result.get("sentText").asText()).as(run).isEqualTo("HELLO");
            assertThat(result.get("gotState").asText()).as(run).isEqualTo("TASK_STATE_COMPLETED");
            assertThat(result.get("gotText").asText()).as(run).isEqualTo("HELLO");
            assertThat(result.get("canceledState").asText()).as(run).isEqualTo("TASK_STATE_CANCELED");
            assertThat(result.get("subscribed").get(0).asText()).as(run + ": a subscription starts with the task").isEqualTo("task");
            assertThat(result.get("subscriptionEndState").asText()).as(run + ": the subscription sees the cancellation")
                    .isEqualTo("TASK_STATE_CANCELED");
            assertSpacedStream(run, result);
        }
        assertThat(out.at("/runs/v03_jsonrpc/cardProtocolVersion").asText()).startsWith("0.3");
        assertThat(out.at("/runs/v03_jsonrpc/endpoint").asText()).isEqualTo(base + "/rpc");
        assertThat(out.at("/runs/v03_rest/endpoint").asText()).isEqualTo(base + "/rest");
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("version", "0.3").tag("binding", "jsonrpc").counters()).isNotEmpty();
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("version", "1.0").tag("binding", "rest").counters()).isNotEmpty();
        for (String binding : List.of("jsonrpc", "rest")) {
            assertThat(gateway.meterRegistry().find("a2a.requests").tag("binding", binding).tag("method", "SubscribeToTask")
                    .counters()).as(binding + " subscriptions went through the gateway").isNotEmpty();
        }
    }

    /** Each artifact event reached the client before the agent published the next one (300 ms apart): nothing was buffered. */
    private void assertSpacedStream(String run, JsonNode result) {
        String taskId = result.get("streamTaskId").asText();
        List<Long> published = new ArrayList<>();
        for (JsonNode event : agent.published()) {
            if (event.get("taskId").asText().equals(taskId) && event.get("label").asText().startsWith("artifact-")) {
                published.add(event.get("at").asLong());
            }
        }
        List<Long> arrived = new ArrayList<>();
        for (JsonNode event : result.get("events")) {
            if (event.get("kind").asText().equals("artifactUpdate")) {
                arrived.add(event.get("at").asLong());
            }
        }
        assertThat(published).as(run + " published").hasSize(3);
        assertThat(arrived).as(run + " arrived").hasSize(3);
        for (int i = 0; i < 2; i++) {
            assertThat(arrived.get(i)).as("%s: artifact %d arrived before the agent published artifact %d", run, i, i + 1)
                    .isLessThan(published.get(i + 1));
        }
    }
}
