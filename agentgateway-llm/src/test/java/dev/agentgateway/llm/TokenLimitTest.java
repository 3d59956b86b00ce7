package dev.agentgateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.Prices;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import dev.agentgateway.policy.ratelimit.TokenLimit;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.llm.FakeOpenAi;
import dev.agentgateway.test.llm.FakeReply;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token limits and money budgets on an LLM route: an estimate is reserved before the call and corrected
 * to the usage the provider reports; a call that would exceed a limit is refused before it reaches the
 * provider, with OpenAI- and Anthropic-shaped 429s the official {@code openai} (6.49.0) and
 * {@code @anthropic-ai/sdk} (1.12.0) clients surface as {@code RateLimitError} and retry after
 * {@code Retry-After}; failed calls give their reservation back.
 */
class TokenLimitTest {
    static final String ALICE = ApiKeys.generate();
    static final String BOB = ApiKeys.generate();
    static final String CAROL = ApiKeys.generate();
    static final String DAVE = ApiKeys.generate();
    static final String SLOW_TEXT = "word ".repeat(200);
    static final AtomicLong NOW = new AtomicLong(1_000_000_000L);

    @RegisterExtension
    static final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.responder(call -> {
        String prompt = call.lastUserText();
        if (call.model().equals("gpt-5")) {
            return FakeReply.error(500, "the provider failed");
        }
        if (prompt.equals("slow")) {
            return FakeReply.text(SLOW_TEXT).interval(Duration.ofMillis(20)).usage(10, 200);
        }
        return FakeReply.text("hi").usage(prompt.equals("spend") ? 490 : 3, prompt.equals("spend") ? 500 : 3);
    }));

    /** A provider that streams three chunks of four characters, then drops the connection. */
    @RegisterExtension
    static final FakeUpstream dropping = FakeUpstream.of((request, response) -> {
        response.status(200).header("Content-Type", "text/event-stream");
        for (int i = 0; i < 3; i++) {
            response.write("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"abcd\"},\"finish_reason\":null}]}\n\n");
        }
        response.abortConnection();
    });

    private static LlmBackend backend() {
        return backend(openai);
    }

    private static LlmBackend backend(FakeUpstream upstream) {
        return LlmBackend.builder()
                .provider(LlmProvider.openAi("openai", "sk-provider").baseUrl(upstream.url() + "/v1"))
                .model("cheap", "openai/gpt-4o-mini")
                .model("premium", "openai/gpt-5")
                .model("unpriced", "openai/gpt-4o").build();
    }

    private static Authentication keys() {
        return Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                ApiKey.builder("alice").key(ALICE).build(), ApiKey.builder("bob").key(BOB).build(),
                ApiKey.builder("carol").key(CAROL).build(),
                ApiKey.builder("dave").key(DAVE).build())).build());
    }

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("frozen").pathPrefix("/frozen").policy(keys())
                    .policy(TokenLimit.builder().nanoTime(NOW::get)
                            .limit(Limit.of("tokens-per-key", 1000, Duration.ofMinutes(1)).key(RateLimitKey.principal()))
                            .costLimit(Limit.of("spend", Prices.usd("1.00"), Duration.ofDays(1)))
                            .prices(Prices.builder().model("cheap", "10.00", "100.00", "1.00").model("premium", "10.00", "100.00", "1.00").build())
                            .build())
                    .backend(backend()))
            .route(Route.builder("dropping").pathPrefix("/dropping").policy(keys())
                    .policy(TokenLimit.builder().nanoTime(NOW::get)
                            .limit(Limit.of("cut-tokens", 10_000, Duration.ofMinutes(1)).key(RateLimitKey.principal())).build())
                    .backend(backend(dropping)))
            .route(Route.builder("live").pathPrefix("/live").policy(keys())
                    .policy(TokenLimit.builder()
                            .limit(Limit.of("live-tokens", 1000, Duration.ofSeconds(4)).key(RateLimitKey.principal())).build())
                    .backend(backend())));

    @Test
    void theEstimateIsReservedThenCorrectedToTheReportedUsage() throws Exception {
        double tokensBefore = charged("tokens", "tokens-per-key"); // other tests charge the same meters
        double costBefore = charged("cost", "spend");
        String body = chat("cheap", 100, "hello");
        long reserved = (body.length() + 3) / 4 + 100;
        HttpResponse<String> first = post("/frozen/v1/chat/completions", ALICE, body);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.headers().allValues("RateLimit")).as("the limit with the smallest share left")
                .containsExactly("\"tokens-per-key\";r=" + (1000 - reserved) + ";t=" + seconds(reserved));
        await(() -> charged("tokens", "tokens-per-key") - tokensBefore == 6);
        HttpResponse<String> second = post("/frozen/v1/chat/completions", ALICE, body);
        assertThat(second.headers().firstValue("RateLimit").orElseThrow())
                .as("the first call was charged its 6 real tokens, not the estimate").startsWith("\"tokens-per-key\";r=" + (1000 - 6 - reserved) + ";");
        await(() -> charged("tokens", "tokens-per-key") - tokensBefore == 12);
        // 3 + 3 tokens of cheap at $10 and $100 per million: 330 micro-dollars a call
        await(() -> Math.abs(charged("cost", "spend") - costBefore - 2 * 0.00033) < 1e-12);
    }

    @Test
    void aRequestThatCanNeverFitIsRefusedBeforeTheProvider() throws Exception {
        int before = openai.requests().size();
        HttpResponse<String> refused = post("/frozen/v1/chat/completions", BOB, chat("cheap", 5000, "long"));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).as("waiting would not help").isEmpty();
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("message").asText()).contains("tokens-per-key").contains("can never fit");
        assertThat(openai.requests()).hasSize(before);
    }

    @Test
    void aModelWithoutAPriceIsRefusedOnARouteWithABudget() throws Exception {
        HttpResponse<String> refused = post("/frozen/v1/chat/completions", BOB, chat("unpriced", 10, "hi"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(refused.body()).path("error").path("message").asText()).contains("No price is configured for model 'unpriced'");
    }

    @Test
    void aFailedCallGivesItsReservationBack() throws Exception {
        assertThat(post("/frozen/v1/chat/completions", CAROL, chat("premium", 900, "x")).statusCode()).isEqualTo(500);
        await(() -> released() >= 1);
        // carol's bucket is full again: a call reserving 900 more fits, which it would not if the failed one had kept its 900
        String body = chat("cheap", 900, "x");
        HttpResponse<String> next = post("/frozen/v1/chat/completions", CAROL, body);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        assertThat(next.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"tokens-per-key\";r=" + (1000 - (body.length() + 3) / 4 - 900) + ";");
    }

    @Test
    void aClientHangingUpMidStreamIsChargedWhatWasStreamedNotNothing() throws Exception {
        double estimatesBefore = usageMissing();
        String streaming = streamingChat("cheap", 900, "slow");
        long prompt = (streaming.length() + 3) / 4;
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            byte[] body = streaming.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /frozen/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + DAVE
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int events = 0;
            for (String line; events < 3 && (line = reader.readLine()) != null; ) {
                events += line.startsWith("data: {") ? 1 : 0;
            }
            assertThat(events).isEqualTo(3);
        } // hangs up after three events: the usage would have come in the last one
        await(() -> usageMissing() > estimatesBefore);
        String body = chat("cheap", 10, "x");
        long reserved = (body.length() + 3) / 4 + 10;
        HttpResponse<String> next = post("/frozen/v1/chat/completions", DAVE, body);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(200);
        String header = next.headers().firstValue("RateLimit").orElseThrow();
        long remaining = Long.parseLong(header.replaceAll(".*;r=([0-9]+);.*", "$1"));
        long charged = 1000 - reserved - remaining;
        assertThat(charged).as("the prompt's estimate and the streamed words, not the 900 max_tokens, nor nothing (" + header + ")")
                .isGreaterThan(prompt).isLessThan(prompt + SLOW_TEXT.length() / 4);
    }

    @Test
    void aProviderDroppingMidStreamIsChargedWhatWasStreamed() throws Exception {
        String streaming = streamingChat("cheap", 500, "cut");
        HttpResponse<String> answer = post("/dropping/v1/chat/completions", ALICE, streaming);
        assertThat(answer.body()).as("the client saw the streamed text").contains("abcd");
        // the prompt at four bytes a token plus twelve streamed characters: three tokens
        long expected = (streaming.length() + 3) / 4 + 3;
        await(() -> charged("tokens", "cut-tokens") == expected);
    }

    @Test
    void theOpenAiSdkSeesARateLimitErrorAndRetriesAfterRetryAfter() throws Exception {
        JsonNode result = NodeScript.run("token-limits.mjs", Map.of(), gateway.uri("/live/v1").toString(), ALICE);
        assertRefusedThenRetried(result);
        assertThat(result.path("refused").path("rateLimit").asText()).as("what is left is less than the call reserves")
                .matches("\"live-tokens\";r=[0-9]{1,3};t=[1-4]");
    }

    @Test
    void theAnthropicSdkSeesARateLimitErrorAndRetriesAfterRetryAfter() throws Exception {
        JsonNode result = NodeScript.run("anthropic-limits.mjs", Map.of(), gateway.uri("/live").toString(), BOB);
        assertRefusedThenRetried(result);
    }

    /** What both SDK scripts report: a call that spends the limit, a RateLimitError, and a retry after Retry-After. */
    private static void assertRefusedThenRetried(JsonNode result) {
        assertThat(result.path("spend").path("ok").asText()).as(result.toString()).isEqualTo("hi");
        JsonNode refused = result.path("refused");
        assertThat(refused.path("error").asText()).as(result.toString()).isEqualTo("RateLimitError");
        assertThat(refused.path("status").asInt()).isEqualTo(429);
        assertThat(refused.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(refused.path("retryAfter").asInt()).isBetween(1, 4);
        assertThat(result.path("retried").path("ok").asText()).as("the SDK waited for Retry-After, then got through").isEqualTo("hi");
        assertThat(result.path("waitedMs").asLong()).isGreaterThanOrEqualTo(900);
    }

    private static String chat(String model, int maxTokens, String content) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    private static String streamingChat(String model, int maxTokens, String content) {
        return chat(model, maxTokens, content).replace("{\"model\"", "{\"stream\":true,\"model\"");
    }

    private static long seconds(long tokens) {
        return (long) Math.ceil(tokens * 60.0 / 1000);
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        return gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double charged(String what, String limit) {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit." + what).tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double usageMissing() {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit.usage_missing").counter();
        return counter == null ? 0 : counter.count();
    }

    private static double released() {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit.released").counter();
        return counter == null ? 0 : counter.count();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for the exchange to complete").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
