package dev.agentgateway.benchmarks.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.benchmarks.CpuTime;
import dev.agentgateway.benchmarks.JitWarmUp;
import dev.agentgateway.benchmarks.proxy.Wrk;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.McpBackend;
import dev.agentgateway.mcp.McpTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Stateless 2026-07-28 {@code tools/call} of the modern fixture's {@code test_simple_text}, directly and
 * through the gateway, driven by wrk (one thread, N connections, the paths taking turns in rounds).
 * <p>
 * Why next to {@link McpBenchmark}'s {@code modern} mode: there the load comes from the JDK's
 * {@code HttpClient} in the gateway's JVM, which costs about 0.5 ms of CPU per call, as much as the
 * gateway; on two cores it competes with the fixture and the gateway, so the ratio measures the sum.
 * wrk costs a few microseconds per call, so here the JVM's CPU is the gateway's alone and the node
 * fixture, which is single-threaded, keeps its core. Every request is the same stateless call; every
 * answer is checked for a JSON-RPC error in wrk's {@code response} hook ("Error bodies") and the first
 * is checked for the tool's content before the runs.
 */
final class ModernWrk {
    static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"test_simple_text\","
            + "\"arguments\":{},\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}}";

    private ModernWrk() {
    }

    static void run(Duration measure, int connections) throws Exception {
        if (!Wrk.installed()) {
            throw new IllegalStateException("wrk is not installed (Debian package wrk)");
        }
        Path js = McpBenchmark.jsDir();
        int fixturePort = McpBenchmark.freePort();
        Process fixture = McpBenchmark.start(js, List.of("node", js.resolve("modern-fixture.mjs").toString()), "PORT",
                Integer.toString(fixturePort));
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            McpBenchmark.awaitPort(fixturePort);
            URI direct = URI.create("http://127.0.0.1:" + fixturePort + "/mcp");
            try (Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                    .route(Route.builder("modern").path("/modern").backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("fixture", direct)).build()))
                    .start()) {
                List<URI> paths = List.of(direct, gateway.uri().resolve("/modern"));
                List<String> labels = List.of("modern fixture directly", "gateway -> modern fixture");
                for (URI path : paths) {
                    check(http, path);
                }
                Wrk.run(direct.toString(), 1, connections, 5, script()); // node's own JIT
                URI through = paths.get(1);
                JitWarmUp.untilSettled(labels.get(1), () -> Wrk.run(through.toString(), 1, connections, 5, script()), 100, 24);
                int rounds = (int) Math.max(1, measure.toSeconds() / 5);
                double[] calls = new double[2];
                long[] nodeNanos = new long[2];
                long[] jvmNanos = new long[2];
                double[] p99 = new double[2];
                StringBuilder errors = new StringBuilder();
                System.out.printf("%nstateless tools/call from wrk (1 thread, %d connections); the paths take turns, %d rounds of 5 s%n",
                        connections, rounds);
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < 2; i++) {
                        long node = CpuTime.of(fixture.toHandle()).toNanos();
                        long jvm = CpuTime.ofThisProcess().toNanos();
                        Wrk.Result result = Wrk.run(paths.get(i).toString(), 1, connections, 5, script());
                        nodeNanos[i] += CpuTime.of(fixture.toHandle()).toNanos() - node;
                        jvmNanos[i] += CpuTime.ofThisProcess().toNanos() - jvm;
                        calls[i] += result.requestsPerSecond() * 5;
                        p99[i] = Math.max(p99[i], result.p99Millis());
                        if (!result.errors().isEmpty()) {
                            errors.append(labels.get(i)).append(": ").append(result.errors());
                        }
                    }
                }
                for (int i = 0; i < 2; i++) {
                    System.out.printf("%-34s %8.0f calls/s   worst p99 %7.2f ms   CPU per call: node %.0f us, JVM %.0f us%n", labels.get(i),
                            calls[i] / (rounds * 5.0), p99[i], nodeNanos[i] / 1000.0 / calls[i], jvmNanos[i] / 1000.0 / calls[i]);
                }
                System.out.printf("gateway/direct, modern, wrk: %.2f (target >= 0.9)%s%n", calls[1] / calls[0],
                        errors.isEmpty() ? "" : "; ERRORS " + errors);
            }
        } finally {
            fixture.destroy();
            fixture.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The request, and a count of answers that are JSON-RPC errors, summed over wrk's threads at the end. */
    private static String script() {
        return """
                wrk.method = "POST"
                wrk.body = '%s'
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Accept"] = "application/json, text/event-stream"
                wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
                wrk.headers["Mcp-Method"] = "tools/call"
                wrk.headers["Mcp-Name"] = "test_simple_text"
                local threads = {}
                function setup(thread) table.insert(threads, thread) end
                function init(args) failed = 0 end
                function response(status, headers, body)
                  if not body:find('"content"', 1, true) then failed = failed + 1 end
                end
                function done(summary, latency, requests)
                  local n = 0
                  for _, t in ipairs(threads) do n = n + t:get("failed") end
                  if n > 0 then io.write(string.format("Error bodies: %%d\\n", n)) end
                end
                """.formatted(CALL);
    }

    /** One call the way {@link McpClientLoad} makes it (a modern client's request), answered with the tool's text. */
    private static void check(HttpClient http, URI path) throws IOException, InterruptedException {
        JsonNode answer = new McpClientLoad(path, http, true).call(null, 1, "tools/call", "{\"name\":\"test_simple_text\",\"arguments\":{}}");
        if (!answer.toString().contains("This is a simple text response")) {
            throw new IllegalStateException(path + " answered " + answer);
        }
    }
}
