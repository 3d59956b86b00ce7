package dev.agentgateway.samples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.llm.LlmBackend;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.ratelimit.BucketStore;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.Prices;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import dev.agentgateway.policy.ratelimit.RedisStore;
import dev.agentgateway.policy.ratelimit.TokenLimit;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.RedisServer;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Per-team token limits and money budgets held across two replicas of an LLM gateway: both replicas
 * keep their buckets in one Redis, so a team's calls count against one budget whichever replica
 * serves them. API keys carry a {@code team} claim (their metadata); the {@code /v1} route (OpenAI Chat
 * Completions) sends {@code gpt-4o} to a fake OpenAI server on loopback that charges every answer 120
 * input and 80 output tokens, $0.0011 at gpt-4o's prices, against a team budget of one cent.
 *
 * <pre>
 * ./mvnw -B -DskipTests install &amp;&amp; ./mvnw -B -f samples exec:java -Dsample.main=dev.agentgateway.samples.TeamBudgetsSample
 * # or against your Redis:  ... -Dquickstart.args="--redis redis://127.0.0.1:6379/0"
 * </pre>
 *
 * <p>Without {@code --redis} it starts a {@code redis-server} of its own (which must be installed).
 */
public final class TeamBudgetsSample implements AutoCloseable {
    /** Demo keys, printed at start; never use fixed keys outside a demo. */
    static final String ALICE_KEY = "agw_demo_alice_team_a_0123456789abcdef";
    static final String BOB_KEY = "agw_demo_bob_team_b_0123456789abcdef";

    /** What the fake model charges for every answer: 120 input and 80 output tokens. */
    static final FakeReply ANSWER = FakeReply.text("Here is your answer.").usage(120, 80);
    /** $ per million tokens: input, output, cached input. */
    static final Prices PRICES = Prices.builder().model("gpt-4o", "2.50", "10.00", "1.25").build();
    static final Limit TEAM_TOKENS = Limit.of("team-tokens", 100_000, Duration.ofHours(1)).key(RateLimitKey.claim("team"));
    static final Limit TEAM_BUDGET = Limit.of("team-budget", Prices.usd("0.01"), Duration.ofDays(30)).key(RateLimitKey.claim("team"));

    private final FakeUpstream openai;
    private final List<Gateway> replicas = new ArrayList<>();
    private final List<MeterRegistry> meters = new ArrayList<>();

    private TeamBudgetsSample(FakeUpstream openai) {
        this.openai = openai;
    }

    /** Starts the fake model and one replica per port (0: ephemeral), all keeping their buckets in the Redis at {@code redisUri}. */
    static TeamBudgetsSample start(String redisUri, int... ports) {
        TeamBudgetsSample sample = new TeamBudgetsSample(FakeUpstream.of(FakeOpenAi.replying(ANSWER)).start());
        try {
            BucketStore redis = RedisStore.builder().uri(redisUri).build(); // one store: its buckets are the team's, on any replica
            for (int port : ports) {
                MeterRegistry registry = new SimpleMeterRegistry();
                sample.meters.add(registry);
                sample.replicas.add(Gateway.builder().name("replica-" + (sample.replicas.size() + 1)).port(port)
                        .meterRegistry(registry).route(route(redis, sample.openai.url())).start());
            }
            return sample;
        } catch (RuntimeException e) {
            sample.close();
            throw e;
        }
    }

    /** The {@code /v1} route of one replica: who calls, then what their team may still spend, then the model. */
    static Route route(BucketStore store, String openaiUrl) {
        return Route.builder("llm").pathPrefix("/v1")
                .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                        ApiKey.builder("alice").key(ALICE_KEY).metadata("team", "team-a").build(),
                        ApiKey.builder("bob").key(BOB_KEY).metadata("team", "team-b").build())).build()))
                .policy(TokenLimit.builder().store(store).limit(TEAM_TOKENS).costLimit(TEAM_BUDGET).prices(PRICES).build())
                .backend(LlmBackend.builder().name("team-llm")
                        .provider(LlmProvider.openAi("openai", "sk-fake").baseUrl(openaiUrl + "/v1"))
                        .model("gpt-4o", "openai/gpt-4o").build())
                .build();
    }

    /** A chat request as the printed curl commands send it. */
    static String chat(String prompt) {
        return "{\"model\":\"gpt-4o\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    List<Gateway> replicas() {
        return List.copyOf(replicas);
    }

    /** Dollars charged to team budgets so far, by every replica ({@code agentgateway.ratelimit.cost}). */
    double chargedUsd() {
        return meters.stream().flatMap(registry -> registry.find("agentgateway.ratelimit.cost").tag("limit", TEAM_BUDGET.name())
                .counters().stream()).mapToDouble(counter -> counter.count()).sum();
    }

    /** Requests that reached the model. */
    long modelCalls() {
        return openai.receivedCount();
    }

    @Override
    public void close() {
        replicas.forEach(Gateway::close);
        openai.close();
    }

    public static void main(String[] args) throws Exception {
        String redisUri = args.length == 2 && args[0].equals("--redis") ? args[1] : null;
        if (args.length > 0 && redisUri == null) {
            throw new IllegalArgumentException("usage: TeamBudgetsSample [--redis redis://host:port/db]");
        }
        try (RedisServer own = redisUri == null ? RedisServer.start() : null;
             TeamBudgetsSample sample = start(redisUri == null ? own.uri() : redisUri, 8081, 8082)) {
            System.out.println(instructions(redisUri == null ? own.uri() : redisUri, sample.replicas()));
            sample.replicas().get(0).awaitClose();
        }
    }

    static String instructions(String redisUri, List<Gateway> replicas) {
        StringBuilder text = new StringBuilder("\nTwo replicas of an LLM gateway share team budgets in Redis at " + redisUri + ":\n");
        for (Gateway replica : replicas) {
            text.append("  ").append(replica.name()).append(": ").append(replica.uri()).append("v1\n");
        }
        String base = replicas.get(0).uri().toString();
        String other = replicas.get(replicas.size() - 1).uri().toString();
        return text.append("""
                alice is in team-a, bob in team-b; each team may spend $0.01 per 30 days (and 100,000 tokens an hour).
                Every answer costs $0.0011; a call must fit its reservation ($0.0026: the prompt and max_tokens) in
                what is left. Send alice's call a few times to each replica and watch the RateLimit header fall
                on both, until a 429 (rate_limit_error, Retry-After); bob still gets through:

                  curl -si %1$sv1/chat/completions -H 'Authorization: Bearer %3$s' \\
                       -H 'Content-Type: application/json' -d '%5$s'
                  curl -si %2$sv1/chat/completions -H 'Authorization: Bearer %3$s' \\
                       -H 'Content-Type: application/json' -d '%5$s'
                  curl -si %2$sv1/chat/completions -H 'Authorization: Bearer %4$s' \\
                       -H 'Content-Type: application/json' -d '%5$s'

                Press Ctrl+C to stop.
                """.formatted(base, other, ALICE_KEY, BOB_KEY, chat("hello"))).toString();
    }
}
