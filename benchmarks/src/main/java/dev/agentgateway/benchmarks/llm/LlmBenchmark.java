package dev.agentgateway.benchmarks.llm;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * When the Portkey gateway is installed in {@code benchmarks/portkey} (or {@code -Dportkey.dir}), it runs
 * as a peer in front of the same fake, measured the same way. Each throughput run also reports the CPU
 * time the processes used (this JVM, which holds client, gateway and fake, plus Portkey's Node process)
 * per request.
 * Arguments (all optional): {@code seconds concurrency samples}; defaults 10, 32, 2000.
 */
public final class LlmBenchmark {
    private static final String ANSWER = "The quick brown fox jumps over the lazy dog near the river bank.";

    private static final String[] ANTHROPIC_HEADERS = {"x-api-key", "bench-key", "anthropic-version", "2023-06-01"};

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Portkey portkey;

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
                     .start();
             Portkey peer = Portkey.startOrNull(Path.of(System.getProperty("portkey.dir", "benchmarks/portkey")))) {
            portkey = peer;
            String[] portkeyHeaders = Portkey.headers(anthropic.url() + "/v1", "bench-key");
            URI viaGateway = gateway.uri().resolve("v1/chat/completions");
            URI viaPlainProxy = gateway.uri().resolve("plain/v1/messages");
            URI direct = URI.create(anthropic.url() + "/v1/messages");
            System.out.printf(Locale.ROOT, "LLM gateway benchmark: %d s per throughput run, %d clients, %d latency samples, %d cores%n",
                    seconds, concurrency, samples, Runtime.getRuntime().availableProcessors());
            verify(new Target(viaGateway, openAi(prompt(1024), false)), "gateway");
            if (peer == null) {
                System.out.println("(Portkey is not installed in benchmarks/portkey: its peer figures are left out)");
            } else {
                verify(new Target(peer.chatCompletions(), openAi(prompt(1024), false, "claude-haiku-4-5"), portkeyHeaders), "Portkey");
            }
            // Warm-up of both paths and both sizes, streams included (JIT, connection pools), before any measurement.
            for (int size : new int[] {1024, 16 * 1024}) {
                // the gateway's path until C2 has settled (JitWarmUp): compiling would be measured as the path's CPU
                Target warming = new Target(viaGateway, openAi(prompt(size), false));
                dev.agentgateway.benchmarks.JitWarmUp.untilSettled("gateway " + size / 1024 + " KiB",
                        () -> throughput(warming, concurrency, 5), 100, 12);
                throughput(new Target(direct, anthropic(prompt(size), false), ANTHROPIC_HEADERS), concurrency, seconds);
                throughput(new Target(viaPlainProxy, anthropic(prompt(size), false), ANTHROPIC_HEADERS), concurrency, seconds / 2);
                if (peer != null) {
                    throughput(new Target(peer.chatCompletions(), openAi(prompt(size), false, "claude-haiku-4-5"), portkeyHeaders),
                            concurrency, seconds);
                }
            }
            firstTokens(new Target(viaGateway, openAi(prompt(1024), true)), samples / 2);
            firstTokens(new Target(direct, anthropic(prompt(1024), true), ANTHROPIC_HEADERS), samples / 2);
            if (peer != null) {
                firstTokens(new Target(peer.chatCompletions(), openAi(prompt(1024), true, "claude-haiku-4-5"), portkeyHeaders), samples / 2);
            }
            for (int size : new int[] {1024, 16 * 1024}) {
                String prompt = prompt(size);
                Target gw = new Target(viaGateway, openAi(prompt, false));
                Target up = new Target(direct, anthropic(prompt, false), ANTHROPIC_HEADERS);
                Target pk = peer == null ? null : new Target(peer.chatCompletions(), openAi(prompt, false, "claude-haiku-4-5"), portkeyHeaders);
                Run gwRun = throughput(gw, concurrency, seconds);
                Run upRun = throughput(up, concurrency, seconds);
                Run plainRun = throughput(new Target(viaPlainProxy, anthropic(prompt, false), ANTHROPIC_HEADERS), concurrency, seconds);
                System.out.printf(Locale.ROOT, "%n%2d KiB non-streaming, %d clients: gateway %.0f req/s, direct %.0f req/s, ratio %.2f"
                        + " (plain HTTP proxy, no translation: %.0f req/s, ratio %.2f)%n",
                        size / 1024, concurrency, gwRun.rps(), upRun.rps(), gwRun.rps() / upRun.rps(), plainRun.rps(), plainRun.rps() / upRun.rps());
                System.out.printf(Locale.ROOT, "%2d KiB CPU per request (all processes): gateway path %.0f us, direct %.0f us,"
                        + " plain proxy %.0f us; the gateway's share (gateway path minus direct) %.0f us%n",
                        size / 1024, gwRun.cpuMicros(), upRun.cpuMicros(), plainRun.cpuMicros(), gwRun.cpuMicros() - upRun.cpuMicros());
                if (pk != null) {
                    Run pkRun = throughput(pk, concurrency, seconds);
                    System.out.printf(Locale.ROOT, "%2d KiB Portkey %.0f req/s, ratio to direct %.2f; gateway / Portkey %.2f;"
                            + " CPU per request %.0f us (Portkey's Node process %.0f us, minus direct %.0f us)%n",
                            size / 1024, pkRun.rps(), pkRun.rps() / upRun.rps(), gwRun.rps() / pkRun.rps(), pkRun.cpuMicros(),
                            pkRun.peerCpuMicros(), pkRun.cpuMicros() - upRun.cpuMicros());
                }
                long[] gwLatency = latencies(gw, samples);
                long[] upLatency = latencies(up, samples);
                System.out.printf(Locale.ROOT, "%2d KiB sequential latency (ms)  p50 / p90 / p99: gateway %s, direct %s; added p50 %.3f, p99 %.3f%n",
                        size / 1024, percentiles(gwLatency), percentiles(upLatency),
                        (pct(gwLatency, 50) - pct(upLatency, 50)) / 1e6, (pct(gwLatency, 99) - pct(upLatency, 99)) / 1e6);
                if (pk != null) {
                    long[] pkLatency = latencies(pk, samples);
                    System.out.printf(Locale.ROOT, "%2d KiB sequential latency (ms)  p50 / p90 / p99: Portkey %s; added p50 %.3f, p99 %.3f%n",
                            size / 1024, percentiles(pkLatency),
                            (pct(pkLatency, 50) - pct(upLatency, 50)) / 1e6, (pct(pkLatency, 99) - pct(upLatency, 99)) / 1e6);
                }
            }
            String prompt = prompt(1024);
            Target gwStream = new Target(viaGateway, openAi(prompt, true));
            Target upStream = new Target(direct, anthropic(prompt, true), ANTHROPIC_HEADERS);
            long[] gwFirst = firstTokens(gwStream, samples);
            long[] upFirst = firstTokens(upStream, samples);
            System.out.printf(Locale.ROOT, "%nstreaming time to first token (ms) p50 / p90 / p99: gateway %s, direct %s; added p50 %.3f, p99 %.3f%n",
                    percentiles(gwFirst), percentiles(upFirst),
                    (pct(gwFirst, 50) - pct(upFirst, 50)) / 1e6, (pct(gwFirst, 99) - pct(upFirst, 99)) / 1e6);
            if (peer != null) {
                long[] pkFirst = firstTokens(new Target(peer.chatCompletions(), openAi(prompt, true, "claude-haiku-4-5"), portkeyHeaders), samples);
                System.out.printf(Locale.ROOT, "streaming time to first token (ms) p50 / p90 / p99: Portkey %s; added p50 %.3f, p99 %.3f%n",
                        percentiles(pkFirst), (pct(pkFirst, 50) - pct(upFirst, 50)) / 1e6, (pct(pkFirst, 99) - pct(upFirst, 99)) / 1e6);
            }
        }
    }

    /** A path to measure: where, what, and the headers it needs besides the content type. */
    private record Target(URI uri, String body, String... headers) {
    }

    /** One throughput run: requests per second, and CPU time per request (all processes, and the peer's alone). */
    private record Run(double rps, double cpuMicros, double peerCpuMicros) {
    }

    private HttpRequest request(Target target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(target.body()));
        if (target.headers().length > 0) {
            builder.headers(target.headers());
        }
        return builder.build();
    }

    /** Fails unless a path answers 200 with an OpenAI chat completion carrying the fake's text. */
    private void verify(Target target, String name) throws Exception {
        HttpResponse<String> response = client.send(request(target), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.statusCode() == 200 ? new ObjectMapper().readTree(response.body()) : null;
        if (body == null || !"chat.completion".equals(body.path("object").asText())
                || !ANSWER.equals(body.path("choices").path(0).path("message").path("content").asText())) {
            throw new IllegalStateException(name + " did not answer a chat completion: " + response.statusCode() + " " + response.body());
        }
        System.out.println(name + " answers 200 with an OpenAI chat completion: " + response.body());
    }

    private long peerCpuNanos() {
        return portkey == null ? 0 : portkey.cpuNanos();
    }

    private static String prompt(int bytes) {
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() < bytes - 120) {
            text.append("lorem ipsum dolor sit amet ");
        }
        return text.toString();
    }

    private static String openAi(String prompt, boolean stream) {
        return openAi(prompt, stream, "fast");
    }

    private static String openAi(String prompt, boolean stream, String model) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":256," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}";
    }

    private static String anthropic(String prompt, boolean stream) {
        return "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":256," + (stream ? "\"stream\":true," : "")
                + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + prompt + "\"}]}]}";
    }

    private Run throughput(Target target, int concurrency, int seconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        HttpRequest request = request(target);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            long cpuStart = os.getProcessCpuTime();
            long peerStart = peerCpuNanos();
            for (int i = 0; i < concurrency; i++) {
                clients.submit(() -> {
                    while (running.get()) {
                        try {
                            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                            if (response.statusCode() == 200) {
                                done.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                                firstFailure.compareAndSet(null, "HTTP " + response.statusCode() + " after "
                                        + (System.nanoTime() - start) / 1_000_000 + " ms: " + new String(response.body(), StandardCharsets.UTF_8));
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, e + " after " + (System.nanoTime() - start) / 1_000_000 + " ms");
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
            // CPU counted until the last in-flight request is done, which the count of requests includes
            double requests = Math.max(1, done.get());
            long peer = peerCpuNanos() - peerStart;
            double cpuMicros = (os.getProcessCpuTime() - cpuStart + peer) / 1e3 / requests;
            if (failed.get() > 0) {
                System.out.println("  (" + failed.get() + " failed requests to " + target.uri() + "; the first: " + firstFailure.get() + ")");
            }
            return new Run(done.get() / (elapsed / 1e9), cpuMicros, peer / 1e3 / requests);
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
            StringBuilder seen = new StringBuilder();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (seen.length() < 2000) {
                        seen.append(line).append('\n');
                    }
                    if (first < 0 && line.startsWith("data:") && (line.contains("\"text_delta\"")
                            || line.contains("\"content\":\"") && !line.contains("\"content\":\"\""))) {
                        first = System.nanoTime() - start;
                    }
                }
            }
            if (first < 0) {
                throw new IllegalStateException(target.uri() + " streamed no text: " + response.statusCode() + " " + seen);
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
