package dev.agentgateway.benchmarks.mcp;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.benchmarks.CpuTime;
import dev.agentgateway.benchmarks.JitWarmUp;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.McpBackend;
import dev.agentgateway.mcp.McpTarget;
import dev.agentgateway.test.FakeUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * MCP gateway benchmarks (figures, never assertions):
 * <ol>
 * <li>{@code calls}: tools/call throughput and latency of server-everything's {@code echo} directly over
 *     Streamable HTTP, through the gateway to the same server, through the gateway to server-everything over
 *     stdio, and through supergateway (npm) bridging server-everything over stdio to Streamable HTTP;</li>
 * <li>{@code fanout}: tools/list latency through the gateway federating 10 targets vs the slowest of them
 *     asked directly;</li>
 * <li>{@code heap}: heap retained per idle client session (initialized, no open stream) with two
 *     Streamable HTTP targets, at 1,000 and 10,000 sessions;</li>
 * <li>{@code heap-modern}: heap retained per modern caller (each a principal of its own, so each holds
 *     a gateway-held session of two Streamable HTTP targets), and heap allocated per request by a modern
 *     tools/call, a legacy session's, and the same call straight to the target, over 5,000 sequential calls;</li>
 * <li>{@code modern}: stateless 2026-07-28 tools/call directly to the TypeScript SDK v2 fixture
 *     ({@code modern-fixture.mjs}) and through the gateway; and the cost of bridging eras, a modern
 *     client through the gateway to a legacy in-JVM target against a legacy client on the same path; each path
 *     is warmed up until the JIT has settled ({@link JitWarmUp});</li>
 * <li>{@code modern-wrk}: the same modern calls from wrk instead of a JDK client in this JVM, so that the
 *     JVM's CPU is the gateway's alone and the load generator takes little of the two cores
 *     ({@link ModernWrk});</li>
 * </ol>
 * Usage: {@code McpBenchmark [calls|fanout|heap|heap-modern|modern|modern-wrk|all] [seconds per run] [clients]}; node_modules are taken
 * from {@code agentgateway-mcp/src/test/js} (run the mcp module's build, or {@code npm ci} there, first).
 */
public final class McpBenchmark {
    private McpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        if (what.equals("calls") || what.equals("all")) {
            calls(Duration.ofSeconds(seconds), clients);
        }
        if (what.equals("serve")) {
            // for profiling the gateway alone: serve <seconds> <port> <upstream URL>
            try (Gateway gateway = Gateway.builder().port(Integer.parseInt(args[2])).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                    .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("up", URI.create(args[3]))).build()))
                    .start()) {
                Thread.sleep(seconds * 1000L);
            }
        }
        if (what.equals("load")) {
            // load <seconds> <clients> <endpoint URL> [modern]: a legacy session's echo calls, or stateless
            // 2026-07-28 calls of the modern fixture's test_simple_text
            boolean modern = args.length > 4 && args[4].equals("modern");
            String params = modern ? "{\"name\":\"test_simple_text\",\"arguments\":{}}"
                    : "{\"name\":\"echo\",\"arguments\":{\"message\":\"hello\"}}";
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                System.out.println(new McpClientLoad(URI.create(args[3]), http, modern).run("load", clients, Duration.ofSeconds(3),
                        Duration.ofSeconds(seconds), "tools/call", params));
            }
        }
        if (what.equals("modern")) {
            modern(Duration.ofSeconds(seconds), clients);
        }
        if (what.equals("modern-wrk")) {
            ModernWrk.run(Duration.ofSeconds(seconds), clients);
        }
        if (what.equals("overhead")) {
            overhead(Duration.ofSeconds(seconds), clients);
        }
        if (what.equals("fanout") || what.equals("all")) {
            fanout();
        }
        if (what.equals("heap") || what.equals("all")) {
            heap(1_000);
            heap(10_000);
        }
        if (what.equals("heap-modern") || what.equals("all")) {
            heapModern(1_000);
        }
        System.exit(0);
    }

    // ---- tools/call ------------------------------------------------------------------------------------

    static void calls(Duration measure, int clients) throws Exception {
        Path js = jsDir();
        String node = "node";
        String everything = js.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString();
        String supergateway = js.resolve("node_modules/supergateway/dist/index.js").toString();
        int everythingPort = freePort();
        int supergatewayPort = freePort();
        List<Process> processes = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            processes.add(start(js, List.of(node, everything, "streamableHttp"), "PORT", Integer.toString(everythingPort)));
            processes.add(start(js, List.of(node, supergateway, "--stdio", node + " " + everything + " stdio",
                    "--outputTransport", "streamableHttp", "--stateful", "--port", Integer.toString(supergatewayPort), "--logLevel", "none"),
                    "NODE_NO_WARNINGS", "1"));
            awaitPort(everythingPort);
            awaitPort(supergatewayPort);
            URI direct = URI.create("http://127.0.0.1:" + everythingPort + "/mcp");
            try (Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                    .route(Route.builder("http").path("/http").backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("everything", direct)).build()))
                    .route(Route.builder("stdio").path("/stdio").backend(McpBackend.builder()
                            .target(McpTarget.stdio("everything", node, everything, "stdio")).build()))
                    .start()) {
                String params = "{\"name\":\"echo\",\"arguments\":{\"message\":\"hello\"}}";
                List<String> labels = List.of("direct (Streamable HTTP)", "gateway -> Streamable HTTP",
                        "gateway -> stdio (process/session)", "supergateway -> stdio");
                List<McpClientLoad> loads = List.of(new McpClientLoad(direct, http), new McpClientLoad(gateway.uri().resolve("/http"), http),
                        new McpClientLoad(gateway.uri().resolve("/stdio"), http),
                        new McpClientLoad(URI.create("http://127.0.0.1:" + supergatewayPort + "/mcp"), http));
                // The paths take turns in short rounds, so that load from elsewhere on a shared machine hits them alike.
                Duration round = Duration.ofSeconds(3);
                int rounds = (int) Math.max(1, measure.toSeconds() / round.toSeconds());
                System.out.printf("%ntools/call echo, %d sessions per path in a closed loop; the paths take turns, %d rounds of %d s each%n",
                        clients, rounds, round.toSeconds());
                List<List<String>> sessions = new ArrayList<>();
                List<List<long[]>> samples = new ArrayList<>();
                for (McpClientLoad load : loads) {
                    List<String> opened = load.sessions(clients);
                    sessions.add(opened);
                    samples.add(new ArrayList<>());
                    load.measure(opened, Duration.ofSeconds(3), "tools/call", params); // warm-up
                }
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < loads.size(); i++) {
                        samples.get(i).add(loads.get(i).measure(sessions.get(i), round, "tools/call", params));
                    }
                }
                List<McpClientLoad.Result> results = new ArrayList<>();
                for (int i = 0; i < loads.size(); i++) {
                    results.add(McpClientLoad.merge(labels.get(i), samples.get(i), round));
                    System.out.println(results.get(i));
                }
                McpClientLoad.Result directResult = results.get(0);
                McpClientLoad.Result viaGateway = results.get(1);
                McpClientLoad.Result viaStdio = results.get(2);
                McpClientLoad.Result viaSupergateway = results.get(3);
                System.out.printf("gateway/direct throughput: %.2f (target >= 0.7); p99 %.2f ms vs %.2f ms%n",
                        viaGateway.throughput() / directResult.throughput(), viaGateway.percentileMillis(99), directResult.percentileMillis(99));
                System.out.printf("gateway(stdio)/supergateway(stdio) throughput: %.2f (target >= 3); p99 %.2f ms vs %.2f ms%n",
                        viaStdio.throughput() / viaSupergateway.throughput(), viaStdio.percentileMillis(99), viaSupergateway.percentileMillis(99));
            }
        } finally {
            for (Process process : processes) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    // ---- the modern era ---------------------------------------------------------------------------------

    static void modern(Duration measure, int clients) throws Exception {
        Path js = jsDir();
        int fixturePort = freePort();
        Process fixture = start(js, List.of("node", js.resolve("modern-fixture.mjs").toString()), "PORT", Integer.toString(fixturePort));
        try (FakeUpstream legacy = FakeUpstream.builder().handler("/", new BenchMcpServer("legacy", 5, 0)).recordLimit(1).build().start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            awaitPort(fixturePort);
            URI direct = URI.create("http://127.0.0.1:" + fixturePort + "/mcp");
            URI legacyDirect = URI.create(legacy.url() + "/mcp");
            try (Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                    .route(Route.builder("modern").path("/modern").backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("fixture", direct)).build()))
                    .route(Route.builder("legacy").path("/legacy").backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("legacy", legacyDirect)).build()))
                    .start()) {
                String modernCall = "{\"name\":\"test_simple_text\",\"arguments\":{}}";
                String legacyCall = "{\"name\":\"tool1\",\"arguments\":{\"text\":\"hello\"}}";
                List<String> labels = List.of("modern fixture directly", "gateway -> modern fixture", "modern client -> gateway -> legacy",
                        "legacy client -> gateway -> legacy");
                List<McpClientLoad> loads = List.of(new McpClientLoad(direct, http, true), new McpClientLoad(gateway.uri().resolve("/modern"), http, true),
                        new McpClientLoad(gateway.uri().resolve("/legacy"), http, true), new McpClientLoad(gateway.uri().resolve("/legacy"), http, false));
                List<String> params = List.of(modernCall, modernCall, legacyCall, legacyCall);
                Duration round = Duration.ofSeconds(3);
                int rounds = (int) Math.max(1, measure.toSeconds() / round.toSeconds());
                System.out.printf("%nstateless tools/call, %d clients per path in a closed loop; the paths take turns, %d rounds of %d s each%n",
                        clients, rounds, round.toSeconds());
                List<List<String>> sessions = new ArrayList<>();
                List<List<long[]>> samples = new ArrayList<>();
                for (int i = 0; i < loads.size(); i++) {
                    sessions.add(loads.get(i).sessions(clients));
                    samples.add(new ArrayList<>());
                    // until the JIT has settled (30-60 s here): with C2 still compiling, the gateway's CPU per call was 2.5x its steady state
                    McpClientLoad load = loads.get(i);
                    List<String> paths = sessions.get(i);
                    String param = params.get(i);
                    JitWarmUp.untilSettled(labels.get(i), () -> load.measure(paths, Duration.ofSeconds(5), "tools/call", param), 100, 24);
                }
                // CPU of the node fixture and of this JVM (client, gateway, in-JVM target) per path, over its rounds
                long[] nodeNanos = new long[loads.size()];
                long[] jvmNanos = new long[loads.size()];
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < loads.size(); i++) {
                        long node = CpuTime.of(fixture.toHandle()).toNanos();
                        long jvm = CpuTime.of(ProcessHandle.current()).toNanos();
                        samples.get(i).add(loads.get(i).measure(sessions.get(i), round, "tools/call", params.get(i)));
                        nodeNanos[i] += CpuTime.of(fixture.toHandle()).toNanos() - node;
                        jvmNanos[i] += CpuTime.of(ProcessHandle.current()).toNanos() - jvm;
                    }
                }
                List<McpClientLoad.Result> results = new ArrayList<>();
                for (int i = 0; i < loads.size(); i++) {
                    results.add(McpClientLoad.merge(labels.get(i), samples.get(i), round));
                    System.out.printf("%s   CPU per call: node %.0f us, JVM %.0f us%n", results.get(i),
                            nodeNanos[i] / 1000.0 / results.get(i).calls(), jvmNanos[i] / 1000.0 / results.get(i).calls());
                }
                System.out.printf("gateway/direct, modern: %.2f (target >= 0.9); p99 %.2f ms vs %.2f ms%n",
                        results.get(1).throughput() / results.get(0).throughput(), results.get(1).percentileMillis(99), results.get(0).percentileMillis(99));
                System.out.printf("bridging, modern client/legacy client to a legacy target: %.2f; p50 %.3f ms vs %.3f ms%n",
                        results.get(2).throughput() / results.get(3).throughput(), results.get(2).percentileMillis(50), results.get(3).percentileMillis(50));
            }
        } finally {
            fixture.destroy();
            fixture.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- gateway overhead against an in-JVM upstream (no node): for profiling -------------------------

    static void overhead(Duration measure, int clients) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.builder().handler("/", new BenchMcpServer("fast", 5, 0)).recordLimit(1).build().start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                             .target(McpTarget.streamableHttp("fast", URI.create(upstream.url() + "/mcp"))).build()))
                     .start()) {
            String params = "{\"name\":\"tool1\",\"arguments\":{\"text\":\"hello\"}}";
            Duration warmUp = Duration.ofSeconds(5);
            System.out.println(new McpClientLoad(URI.create(upstream.url() + "/mcp"), http).run("in-JVM upstream directly", clients, warmUp, measure, "tools/call", params));
            System.out.println(new McpClientLoad(gateway.uri().resolve("/mcp"), http).run("gateway -> in-JVM upstream", clients, warmUp, measure, "tools/call", params));
        }
    }

    // ---- tools/list fan-out ----------------------------------------------------------------------------

    static void fanout() throws Exception {
        List<FakeUpstream> upstreams = new ArrayList<>();
        McpBackend.Builder backend = McpBackend.builder();
        for (int i = 0; i < 10; i++) {
            // targets answer in 10..19 ms: the slowest one bounds the fan-out
            FakeUpstream upstream = FakeUpstream.builder().handler("/", new BenchMcpServer("t" + i, 25, 10 + i)).recordLimit(1).build().start();
            upstreams.add(upstream);
            backend.target(McpTarget.streamableHttp("t" + i, URI.create(upstream.url() + "/mcp")));
        }
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("mcp").path("/mcp").backend(backend.build())).start()) {
            Duration warmUp = Duration.ofSeconds(3);
            Duration measure = Duration.ofSeconds(10);
            System.out.printf("%ntools/list, one session, sequential; 10 targets of 25 tools answering in 10..19 ms%n");
            McpClientLoad.Result slowest = new McpClientLoad(URI.create(upstreams.get(9).url() + "/mcp"), http)
                    .run("slowest target directly", 1, warmUp, measure, "tools/list", null);
            System.out.println(slowest);
            McpClientLoad.Result fanned = new McpClientLoad(gateway.uri().resolve("/mcp"), http)
                    .run("gateway, 10 targets merged", 1, warmUp, measure, "tools/list", null);
            System.out.println(fanned);
            System.out.printf("fan-out/slowest latency: p50 %.2f, p99 %.2f (target <= 1.3)%n",
                    fanned.percentileMillis(50) / slowest.percentileMillis(50), fanned.percentileMillis(99) / slowest.percentileMillis(99));
        } finally {
            for (FakeUpstream upstream : upstreams) {
                upstream.close();
            }
        }
    }

    // ---- heap per idle session -------------------------------------------------------------------------

    static void heap(int sessions) throws Exception {
        try (FakeUpstream one = FakeUpstream.builder().handler("/", new BenchMcpServer("one", 5, 0)).recordLimit(1).build().start();
             FakeUpstream two = FakeUpstream.builder().handler("/", new BenchMcpServer("two", 5, 0)).recordLimit(1).build().start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                             .target(McpTarget.streamableHttp("one", URI.create(one.url() + "/mcp")))
                             .target(McpTarget.streamableHttp("two", URI.create(two.url() + "/mcp")))
                             .build()))
                     .start()) {
            McpClientLoad client = new McpClientLoad(gateway.uri().resolve("/mcp"), http);
            for (int i = 0; i < 200; i++) {
                client.initialize(); // warm up code paths and pools before the baseline
            }
            long before = usedHeap();
            List<String> ids = new ArrayList<>(sessions);
            for (int i = 0; i < sessions; i++) {
                ids.add(client.initialize());
            }
            long after = usedHeap();
            long upstreamShare = sessions * 2L * 120; // the fake upstreams keep a session id each (~120 bytes)
            System.out.printf("%nheap per idle session, %d sessions, 2 Streamable HTTP targets: %.1f KiB (%.1f KiB without the"
                    + " fake upstreams' own session ids; target <= 16 KiB)%n", sessions, (after - before) / 1024.0 / sessions,
                    (after - before - upstreamShare) / 1024.0 / sessions);
            if (ids.size() != sessions) {
                throw new IllegalStateException("sessions lost");
            }
        }
    }

    // ---- heap per modern caller and allocation per request ----------------------------------------------

    static void heapModern(int callers) throws Exception {
        try (FakeUpstream one = FakeUpstream.builder().handler("/", new BenchMcpServer("one", 5, 0)).recordLimit(1).build().start();
             FakeUpstream two = FakeUpstream.builder().handler("/", new BenchMcpServer("two", 5, 0)).recordLimit(1).build().start();
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("mcp").path("/mcp")
                             .policy((exchange, next) -> {
                                 String user = exchange.requestHeaders().get("X-Bench-User");
                                 if (user != null) {
                                     exchange.attribute(Principal.KEY, Principal.of(user, "bench"));
                                 }
                                 return next.proceed(exchange);
                             })
                             .backend(McpBackend.builder()
                                     .target(McpTarget.streamableHttp("one", URI.create(one.url() + "/mcp")))
                                     .target(McpTarget.streamableHttp("two", URI.create(two.url() + "/mcp")))
                                     .build()))
                     .start()) {
            String params = "{\"name\":\"one_tool1\",\"arguments\":{\"text\":\"hello\"}}";
            McpClientLoad modern = new McpClientLoad(gateway.uri().resolve("/mcp"), http, true);
            for (int i = 0; i < 200; i++) {
                modern.as("warm-" + i).call(null, i, "tools/call", params); // code paths and pools warm before the baseline
            }
            long before = usedHeap();
            for (int i = 0; i < callers; i++) {
                JsonNode answer = modern.as("caller-" + i).call(null, i, "tools/call", params);
                if (!answer.has("result")) {
                    throw new IllegalStateException("modern call failed: " + answer);
                }
            }
            long after = usedHeap();
            System.out.printf("%nheap per modern caller (its gateway-held session), %d callers, 2 Streamable HTTP targets: %.1f KiB"
                    + " (the fake upstreams' session ids included, ~0.2 KiB)%n", callers, (after - before) / 1024.0 / callers);

            McpClientLoad legacy = new McpClientLoad(gateway.uri().resolve("/mcp"), http);
            String session = legacy.initialize();
            McpClientLoad direct = new McpClientLoad(URI.create(one.url() + "/mcp"), http);
            String directSession = direct.initialize();
            String directParams = "{\"name\":\"tool1\",\"arguments\":{\"text\":\"hello\"}}";
            McpClientLoad alice = modern.as("caller-0");
            int calls = 5_000;
            for (int round = 0; round < 2; round++) { // the first round warms up; the second is reported
                long modernBytes = allocatedBy(calls, i -> alice.call(null, i, "tools/call", params));
                long legacyBytes = allocatedBy(calls, i -> legacy.call(session, i, "tools/call", params));
                long directBytes = allocatedBy(calls, i -> direct.call(directSession, i, "tools/call", directParams));
                if (round == 1) {
                    System.out.printf("heap allocated per tools/call (client and target in the same JVM): modern through the gateway %.1f KiB,"
                            + " legacy session through the gateway %.1f KiB, directly %.1f KiB; the gateway's share: modern %.1f KiB,"
                            + " legacy %.1f KiB%n", modernBytes / 1024.0, legacyBytes / 1024.0, directBytes / 1024.0,
                            (modernBytes - directBytes) / 1024.0, (legacyBytes - directBytes) / 1024.0);
                }
            }
        }
    }

    /** One call of a sequence; {@code i} is its index. */
    private interface Call {
        JsonNode make(int i) throws Exception;
    }

    /** The heap allocated by the whole JVM per call, over {@code calls} sequential calls. */
    private static long allocatedBy(int calls, Call call) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = threads.getTotalThreadAllocatedBytes();
        for (int i = 0; i < calls; i++) {
            JsonNode answer = call.make(i);
            if (!answer.has("result")) {
                throw new IllegalStateException("call failed: " + answer);
            }
        }
        return (threads.getTotalThreadAllocatedBytes() - start) / calls;
    }

    private static long usedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    static Path jsDir() {
        for (Path candidate : List.of(Path.of("agentgateway-mcp/src/test/js"), Path.of("../agentgateway-mcp/src/test/js"))) {
            if (Files.isDirectory(candidate.resolve("node_modules"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("run from the repository root after the mcp module's build (npm ci in agentgateway-mcp/src/test/js)");
    }

    static Process start(Path directory, List<String> command, String envName, String envValue) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put(envName, envValue);
        return builder.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on " + port);
    }
}
