package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.test.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Two replicas, one Redis: team-a's calls, alternating between the replicas, spend one budget and
 * are refused on both once it is spent; team-b's budget is untouched.
 */
class TeamBudgetsSampleTest {
    static final long CALL_MICROS = 1100; // 120 input tokens at $2.50/M + 80 output tokens at $10/M
    static final String POLICY = "\"team-budget\";q=10000;w=2592000";

    @Test
    void aTeamSpendsOneBudgetAcrossBothReplicas() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TeamBudgetsSample sample = TeamBudgetsSample.start(redis.uri(), 0, 0);
             HttpClient http = HttpClient.newHttpClient()) {
            List<Gateway> replicas = sample.replicas();
            List<Long> remaining = new ArrayList<>();
            HttpResponse<String> refused = null;
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> answer = chat(http, replicas.get(i % 2), TeamBudgetsSample.ALICE_KEY);
                if (answer.statusCode() == 429) {
                    refused = answer;
                    break;
                }
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue(POLICY);
                remaining.add(remaining(answer));
                settled(sample, remaining.size());
            }
            // $0.01 at $0.0011 a call, but the 8th call's reservation ($0.0026) no longer fits in the $0.0023 left;
            // separate budgets per replica would have let 14 alternating calls through
            assertThat(remaining).as("calls served, 4 by one replica and 3 by the other").hasSize(7);
            for (int i = 1; i < remaining.size(); i++) {
                assertThat(remaining.get(i)).as("each call took its real cost from the one budget, whichever replica served it")
                        .isEqualTo(remaining.get(i - 1) - CALL_MICROS);
            }
            assertThat(refused).as("the shared budget is spent").isNotNull();
            JsonNode error = new ObjectMapper().readTree(refused.body()).path("error");
            assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
            assertThat(error.path("message").asText()).contains("Budget 'team-budget' exceeded");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("RateLimit-Policy")).hasValue(POLICY);
            assertThat(remaining(refused)).as("what is left after the 7th call").isEqualTo(10_000 - 7 * CALL_MICROS);
            assertThat(chat(http, replicas.get(0), TeamBudgetsSample.ALICE_KEY).statusCode()).as("the other replica too").isEqualTo(429);
            assertThat(sample.modelCalls()).as("refused calls never reach the model").isEqualTo(7);

            HttpResponse<String> bob = chat(http, replicas.get(1), TeamBudgetsSample.BOB_KEY);
            assertThat(bob.statusCode()).as("team-b has its own budget").isEqualTo(200);
            assertThat(remaining(bob)).as("untouched by team-a").isEqualTo(remaining.get(0));
            assertThat(chat(http, replicas.get(0), TeamBudgetsSample.BOB_KEY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theInstructionsNameBothReplicasAndTheKeys() throws Exception {
        try (RedisServer redis = RedisServer.start(); TeamBudgetsSample sample = TeamBudgetsSample.start(redis.uri(), 0, 0)) {
            String text = TeamBudgetsSample.instructions(redis.uri(), sample.replicas());
            assertThat(text).contains(redis.uri(), sample.replicas().get(0).uri() + "v1/chat/completions",
                    sample.replicas().get(1).uri() + "v1/chat/completions", TeamBudgetsSample.ALICE_KEY, TeamBudgetsSample.BOB_KEY,
                    TeamBudgetsSample.chat("hello"));
        }
    }

    private static HttpResponse<String> chat(HttpClient http, Gateway replica, String key) throws Exception {
        URI uri = replica.uri().resolve("v1/chat/completions");
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(TeamBudgetsSample.chat("hello"))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code r} of the {@code RateLimit} header: micro-dollars left in the team's budget. */
    private static long remaining(HttpResponse<String> answer) {
        String header = answer.headers().firstValue("RateLimit").orElseThrow();
        assertThat(header).startsWith("\"team-budget\";r=");
        return Long.parseLong(header.replaceAll(".*;r=([0-9]+);.*", "$1"));
    }

    /** Waits until the replicas have charged {@code calls} answers (they settle once the answer is sent). */
    private static void settled(TeamBudgetsSample sample, int calls) throws InterruptedException {
        double expected = calls * CALL_MICROS / 1_000_000.0;
        for (int i = 0; i < 500 && Math.abs(sample.chargedUsd() - expected) > 1e-9; i++) {
            Thread.sleep(10);
        }
        assertThat(sample.chargedUsd()).as("charged for %d calls", calls).isCloseTo(expected, offset(1e-9));
    }
}
