package dev.agentgateway.benchmarks.llm;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Route;
import dev.agentgateway.llm.LlmBackend;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.llm.FakeAnthropic;
import dev.agentgateway.test.llm.FakeReply;

/**
 * Load harness for the LLM gateway: OpenAI chat requests translated to Anthropic through the gateway,
 * against the same Anthropic requests sent straight to the fake Anthropic provider.
 * <ul>
 * <li>throughput: {@code concurrency} clients for {@code seconds}, 1 KiB and 16 KiB prompts;</li>
 * <li>added latency: one client, {@code samples} sequential requests, percentiles of each path;</li>
 * <li>time to first token when streaming: time to the first text chunk, gateway vs direct.</li>
 * </ul>
 * Arguments (all optional): {@code seconds concurrency samples}; defaults 10, 32, 2000.
 */
public final class LlmBenchmark {
    private static final String ANSWER = "The quick brown fox jumps over the lazy dog near the river bank.";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        new LlmBenchmark().run(seconds, concurrency, samples);
    }

    private void run(int seconds, int concurrency, int samples) throws Exception {
        try (FakeUpstream anthropic = FakeUpstream.builder().handler("/", FakeAnthropic.replying(FakeReply.text(ANSWER).usage(300, 14))).recordLimit(1).build().start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false)
                     .route(Route.builder("llm").pathPrefix("/v1").backend(LlmBackend.builder()
                             .provider(LlmProvider.anthropic("claude", "bench-key").baseUrl(anthropic.url()))
                             .model("fast", "claude/claude-haiku-4-5")
                             .build()))
                     // For scale: the same fake behind the core's plain HTTP proxy, no translation.
                     .route(Route.builder("plain").pathPrefix("/plain").rewritePath(PathRewrite.stripPrefix())
                             .backend(HttpBackend.of(anthropic.url())))
                     .start()) {
            URI viaGateway = gateway.uri().resolve("v1/chat/completions");
            URI viaPlainProxy = gateway.uri().resolve("plain/v1/messages");
            URI direct = URI.create(anthropic.url() + "/v1/messages");
            System.out.printf(Locale.ROOT, "LLM gateway benchmark: %d s per throughput run, %d clients, %d latency samples, %d cores%n",
                    seconds, concurrency, samples, Runtime.getRuntime().availableProcessors());
            // Warm-up of both paths and both sizes, streams included (JIT, connection pools), before any measurement.
            for (int size : new int[] {1024, 16 * 1024}) {
                throughput(new Target(viaGateway, openAi(prompt(size), false), false), concurrency, seconds);
                throughput(new Target(direct, anthropic(prompt(size), false), true), concurrency, seconds);
                throughput(new Target(viaPlainProxy, anthropic(prompt(size), false), true), concurrency, seconds / 2);
            }
            firstTokens(new Target(viaGateway, openAi(prompt(1024), true), false), samples / 2);
            firstTokens(new Target(direct, anthropic(prompt(1024), true), true), samples / 2);
            for (int size : new int[] {1024, 16 * 1024}) {
                String prompt = prompt(size);
                Target gw = new Target(viaGateway, openAi(prompt, false), false);
                Target up = new Target(direct, anthropic(prompt, false), true);
                double gwRps = throughput(gw, concurrency, seconds);
                double upRps = throughput(up, concurrency, seconds);
                double plainRps = throughput(new Target(viaPlainProxy, anthropic(prompt, false), true), concurrency, seconds);
                System.out.printf(Locale.ROOT, "%n%2d KiB non-streaming, %d clients: gateway %.0f req/s, direct %.0f req/s, ratio %.2f"
                        + " (plain HTTP proxy, no translation: %.0f req/s, ratio %.2f)%n",
                        size / 1024, concurrency, gwRps, upRps, gwRps / upRps, plainRps, plainRps / upRps);
                long[] gwLatency = latencies(gw, samples);
                long[] upLatency = latencies(up, samples);
                System.out.printf(Locale.ROOT, "%2d KiB sequential latency (ms)  p50 / p90 / p99: gateway %s, direct %s; added p50 %.3f, p99 %.3f%n",
                        size / 1024, percentiles(gwLatency), percentiles(upLatency),
                        (pct(gwLatency, 50) - pct(upLatency, 50)) / 1e6, (pct(gwLatency, 99) - pct(upLatency, 99)) / 1e6);
            }
            String prompt = prompt(1024);
            Target gwStream = new Target(viaGateway, openAi(prompt, true), false);
            Target upStream = new Target(direct, anthropic(prompt, true), true);
            long[] gwFirst = firstTokens(gwStream, samples);
            long[] upFirst = firstTokens(upStream, samples);
            System.out.printf(Locale.ROOT, "%nstreaming time to first token (ms) p50 / p90 / p99: gateway %s, direct %s; added p50 %.3f, p99 %.3f%n",
                    percentiles(gwFirst), percentiles(upFirst),
                    (pct(gwFirst, 50) - pct(upFirst, 50)) / 1e6, (pct(gwFirst, 99) - pct(upFirst, 99)) / 1e6);
        }
    }

    private record Target(URI uri, String body, boolean anthropic) {
    }

    private HttpRequest request(Target target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(target.body()));
        if (target.anthropic()) {
            builder.header("x-api-key", "bench-key").header("anthropic-version", "2023-06-01");
        }
        return builder.build();
    }

    private static String prompt(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() < bytes - 120) {
            text.append("lorem ipsum dolor sit amet ");
        }
        return text.toString();
    }

    private static String openAi(String prompt, boolean stream) {
        return "{\"model\":\"fast\",\"max_tokens\":256," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    private static String anthropic(String prompt, boolean stream) {
        return "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + prompt + "\"}]}]}";
    }

    private double throughput(Target target, int concurrency, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        HttpRequest request = request(target);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() == 200) {
                                done.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(Duration.ofSeconds(seconds));
            running.set(false);
            long elapsed = System.nanoTime() - start;
            clients.shutdown();
            clients.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
            if (failed.get() > 0) {
                System.out.println("  (" + failed.get() + " failed requests to " + target.uri() + ")");
            }
            return done.get() / (elapsed / 1e9);
        }
    }

    private long[] latencies(Target target, int samples) throws Exception {
        HttpRequest request = request(target);
        long[] nanos = new long[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            nanos[i] = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(target.uri() + " answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** Time from sending to the first event carrying text (OpenAI delta content or Anthropic text_delta). */
    private long[] firstTokens(Target target, int samples) throws Exception {
        HttpRequest request = request(target);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            long first = -1;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (first < 0 && line.startsWith("data:") && (line.contains("\"text_delta\"")
                            || line.contains("\"content\":\"") && !line.contains("\"content\":\"\""))) {
                        first = System.nanoTime() - start;
                    }
                }
            }
            if (first < 0) {
                throw new IllegalStateException(target.uri() + " streamed no text");
            }
            times.add(first);
        }
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static long pct(long[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String percentiles(long[] sorted) {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", pct(sorted, 50) / 1e6, pct(sorted, 90) / 1e6, pct(sorted, 99) / 1e6);
    }
}
