package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import dev.agentgateway.test.GatewayExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A per-skill rate limit in front of the {@code @a2a-js/sdk} 1.3.0 agent, called by the SDK's own
 * client: messages beyond the quota are answered 429 with a JSON-RPC error (code {@code -32000}, data
 * {@code {status: 429, code: "rate_limited"}}), which the SDK throws as a {@code JsonRpcTransportError},
 * for plain and streaming messages alike; the HTTP answer carries {@code Retry-After} and the
 * {@code RateLimit} headers. Calls that name no skill (reading a task) are not counted.
 */
class RateLimitedAgentTest {
    /** The buckets' clock stands still: no token comes back while the test runs, so every number is exact. */
    static final long FROZEN = 1_000_000_000L;

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("shouter").pathPrefix("/agents/shouter")
            .policy(RateLimit.builder().nanoTime(() -> FROZEN)
                    .limit(Limit.of("shout", 2, Duration.ofMinutes(10)).key(RateLimitKey.a2aSkill())) // a token each 300 s
                    .build())
            .backend(A2aBackend.of(agent.url()))));

    /**
     * The SDK's messages name no skill: they are counted under the agent's only skill, known from the
     * card the SDK fetched through the gateway (with an {@code A2A-Version} header) before its first call.
     */
    @Test
    void theSdkThrowsTheJsonRpcErrorOfA429AndTheHeadersSayWhenToRetry() throws Exception {
        JsonNode result;
        try (NodePeer client = NodePeer.start("ratelimit-client.mjs",
                Map.of("AGENT_BASE", gateway.uri("/agents/shouter").toString(), "MESSAGES", "3", "SKILL", ""))) {
            result = client.await(line -> line.has("sent") || line.has("error"), "results", Duration.ofSeconds(60));
        }
        assertThat(result.has("error")).as("%s", result).isFalse();
        JsonNode sent = result.path("sent");
        assertThat(sent.path(0).path("text").asText()).as("%s", result).isEqualTo("MESSAGE 1");
        assertThat(sent.path(1).path("text").asText()).isEqualTo("MESSAGE 2");
        for (JsonNode refused : new JsonNode[] {sent.path(2).path("refused"), result.path("stream").path("refused")}) {
            assertThat(refused.path("name").asText()).as("%s", result).isEqualTo("JsonRpcTransportError");
            assertThat(refused.path("envelopeCode").asInt()).isEqualTo(-32000);
            assertThat(refused.path("data").path("status").asInt()).isEqualTo(429);
            assertThat(refused.path("data").path("code").asText()).isEqualTo("rate_limited");
            assertThat(refused.path("message").asText()).isEqualTo("Rate limit 'shout' exceeded (2 requests per 600 s); retry in 300 s");
        }
        assertThat(result.path("got").path("same").asBoolean()).as("GetTask names no skill: not counted, %s", result).isTrue();

        JsonNode http = result.path("http"); // send, send, refused send, refused stream, get
        assertThat(http).hasSize(5);
        assertThat(http.path(0).path("rateLimit").asText()).isEqualTo("\"shout\";r=1;t=300");
        assertThat(http.path(1).path("rateLimit").asText()).isEqualTo("\"shout\";r=0;t=600");
        for (JsonNode answer : new JsonNode[] {http.path(2), http.path(3)}) {
            assertThat(answer.path("status").asInt()).as("%s", http).isEqualTo(429);
            assertThat(answer.path("contentType").asText()).startsWith("application/json");
            assertThat(answer.path("retryAfter").asText()).isEqualTo("300");
            assertThat(answer.path("rateLimit").asText()).isEqualTo("\"shout\";r=0;t=300");
            assertThat(answer.path("rateLimitPolicy").asText()).isEqualTo("\"shout\";q=2;w=600");
        }
        assertThat(http.path(4).path("status").asInt()).isEqualTo(200);
        assertThat(http.path(4).path("rateLimit").isNull()).as("no limit applied to GetTask").isTrue();
        assertThat(agent.published().stream().filter(event -> event.path("label").asText().equals("task")).count())
                .as("the refused messages never reached the agent").isEqualTo(2);
    }
}
