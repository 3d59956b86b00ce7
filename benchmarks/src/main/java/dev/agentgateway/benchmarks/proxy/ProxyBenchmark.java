package dev.agentgateway.benchmarks.proxy;

import dev.agentgateway.benchmarks.CpuTime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The HTTP proxy benchmark: a fast local backend measured directly, through the gateway, through
 * nginx (an equivalent reverse proxy) and through Jetty's own {@code ProxyHandler} (the floor of a
 * proxy built on Jetty, as the gateway is), with wrk as the load generator, all in one run on one machine;
 * then the same at half of the gateway's saturation rate for added latency; then time to the first
 * server-sent event; then gateway start-to-first-request time in fresh JVMs. Prints ratios.
 *
 * <p>Run with {@code benchmarks/run-proxy-benchmark.sh [seconds] [connections]}.
 */
public final class ProxyBenchmark {

    private ProxyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        requireTool("wrk", "-v");
        requireTool("nginx", "-v");
        try (FastBackend backend = FastBackend.start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("bench").pathPrefix("/").backend(HttpBackend.of("http://127.0.0.1:" + backend.port)))
                     .start();
             Nginx nginx = Nginx.start(Ports.freeLoopbackPort(), backend.port);
             JettyProxy jetty = JettyProxy.start(backend.port)) {
            String direct = "http://127.0.0.1:" + backend.port + "/";
            String viaJetty = "http://127.0.0.1:" + jetty.port + "/";
            String viaGateway = "http://127.0.0.1:" + gateway.port() + "/";
            String viaNginx = "http://127.0.0.1:" + nginx.port + "/";
            System.out.printf("cores=%d java=%s wrk threads=2 connections=%d duration=%ds%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), connections, seconds);

            System.out.println("warming up (JIT) ...");
            Wrk.run(viaNginx, 2, connections, 5, 0);
            // the JVM's paths until C2 has settled: compiling on the second core would be measured as the path's CPU
            for (var path : List.of(java.util.Map.entry("direct", direct), java.util.Map.entry("gateway", viaGateway),
                    java.util.Map.entry("jetty", viaJetty))) {
                dev.agentgateway.benchmarks.JitWarmUp.untilSettled(path.getKey(), () -> Wrk.run(path.getValue(), 2, connections, 5, 0), 100, 12);
            }

            System.out.println("\n== saturation (closed loop, " + connections + " connections) ==");
            // CPU time around each run: this JVM (the backend, plus the gateway on its run) and nginx's processes
            java.time.Duration jvm0 = CpuTime.ofThisProcess();
            Wrk.Result directMax = report("direct", Wrk.run(direct, 2, connections, seconds, 0));
            java.time.Duration jvm1 = CpuTime.ofThisProcess();
            java.time.Duration nginx0 = nginx.cpuTime();
            Wrk.Result nginxMax = report("nginx", Wrk.run(viaNginx, 2, connections, seconds, 0));
            java.time.Duration nginx1 = nginx.cpuTime();
            java.time.Duration jvm2 = CpuTime.ofThisProcess();
            Wrk.Result gatewayMax = report("gateway", Wrk.run(viaGateway, 2, connections, seconds, 0));
            java.time.Duration jvm3 = CpuTime.ofThisProcess();
            Wrk.Result jettyMax = report("jetty", Wrk.run(viaJetty, 2, connections, seconds, 0));
            java.time.Duration jvm4 = CpuTime.ofThisProcess();
            System.out.printf(Locale.ROOT, "throughput: gateway/nginx = %.2f, gateway/direct = %.2f, nginx/direct = %.2f;"
                            + " Jetty's ProxyHandler/nginx = %.2f, gateway/Jetty's ProxyHandler = %.2f%n",
                    gatewayMax.requestsPerSecond() / nginxMax.requestsPerSecond(),
                    gatewayMax.requestsPerSecond() / directMax.requestsPerSecond(),
                    nginxMax.requestsPerSecond() / directMax.requestsPerSecond(),
                    jettyMax.requestsPerSecond() / nginxMax.requestsPerSecond(),
                    gatewayMax.requestsPerSecond() / jettyMax.requestsPerSecond());
            double backendMicros = CpuTime.microsPerRequest(jvm1.minus(jvm0), directMax.requestsPerSecond() * seconds);
            double gatewayMicros = CpuTime.microsPerRequest(jvm3.minus(jvm2), gatewayMax.requestsPerSecond() * seconds) - backendMicros;
            double nginxMicros = CpuTime.microsPerRequest(nginx1.minus(nginx0), nginxMax.requestsPerSecond() * seconds);
            double jettyMicros = CpuTime.microsPerRequest(jvm4.minus(jvm3), jettyMax.requestsPerSecond() * seconds) - backendMicros;
            System.out.printf(Locale.ROOT, "CPU per request: gateway %.1f us, nginx %.1f us (gateway/nginx %.2f), Jetty's ProxyHandler %.1f us"
                            + " (gateway/Jetty %.2f); the backend %.1f us%n",
                    gatewayMicros, nginxMicros, gatewayMicros / nginxMicros, jettyMicros, gatewayMicros / jettyMicros, backendMicros);

            double halfRate = gatewayMax.requestsPerSecond() / 2;
            int halfConnections = Math.max(1, (int) Math.round(halfRate * 1.2 / 1000));
            System.out.printf(Locale.ROOT, "%n== half of the gateway's saturation: ~%.0f req/s (%d connections, 1 ms pause per request) ==%n",
                    halfRate, halfConnections);
            Wrk.Result directHalf = report("direct", Wrk.run(direct, 2, halfConnections, seconds, 1));
            Wrk.Result nginxHalf = report("nginx", Wrk.run(viaNginx, 2, halfConnections, seconds, 1));
            Wrk.Result gatewayHalf = report("gateway", Wrk.run(viaGateway, 2, halfConnections, seconds, 1));
            System.out.printf(Locale.ROOT, "added latency by the gateway: p50 %+.3f ms, p99 %+.3f ms (nginx: p50 %+.3f ms, p99 %+.3f ms)%n",
                    gatewayHalf.p50Millis() - directHalf.p50Millis(), gatewayHalf.p99Millis() - directHalf.p99Millis(),
                    nginxHalf.p50Millis() - directHalf.p50Millis(), nginxHalf.p99Millis() - directHalf.p99Millis());

            System.out.println("\n== time to first server-sent event (new connection each, 2000 samples after 500 warm-up) ==");
            FirstEventProbe.measure(backend.port, 500);
            FirstEventProbe.measure(gateway.port(), 500);
            FirstEventProbe.measure(nginx.port, 500);
            long[] sseDirect = FirstEventProbe.measure(backend.port, 2000);
            long[] sseGateway = FirstEventProbe.measure(gateway.port(), 2000);
            long[] sseNginx = FirstEventProbe.measure(nginx.port, 2000);
            for (var entry : List.of(new Object[] {"direct", sseDirect}, new Object[] {"nginx", sseNginx}, new Object[] {"gateway", sseGateway})) {
                long[] samples = (long[]) entry[1];
                System.out.printf(Locale.ROOT, "%-8s p50 %6.3f ms  p99 %6.3f ms%n", entry[0],
                        FirstEventProbe.percentile(samples, 50) / 1000.0, FirstEventProbe.percentile(samples, 99) / 1000.0);
            }
            System.out.printf(Locale.ROOT, "first-event overhead of the gateway: p50 %+.3f ms, p99 %+.3f ms%n",
                    (FirstEventProbe.percentile(sseGateway, 50) - FirstEventProbe.percentile(sseDirect, 50)) / 1000.0,
                    (FirstEventProbe.percentile(sseGateway, 99) - FirstEventProbe.percentile(sseDirect, 99)) / 1000.0);
        }

        System.out.println("\n== start to first answered request (fresh JVM each, 5 runs each, interleaved):"
                + " the gateway, and a bare Jetty server with one handler ==");
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            runs.add("gateway    " + startupRun(StartupProbe.class));
            runs.add("bare Jetty " + startupRun(JettyStartupProbe.class));
        }
        runs.forEach(System.out::println);
        startupWithAotCache();
    }

    /**
     * The same start-up with the JDK's ahead-of-time cache (JEP 483 and 514, JDK 25): one training run
     * writes the cache, the next runs load Jetty's and our classes already parsed and linked. This is a
     * JVM option an application turns on for itself (the gateway is a library inside it), so it is
     * reported next to the default, not instead of it.
     */
    private static void startupWithAotCache() throws IOException, InterruptedException {
        System.out.println("\n== the same with the JDK's AOT cache (-XX:AOTCacheOutput, then -XX:AOTCache; 5 runs) ==");
        if (Runtime.version().feature() < 25) {
            System.out.println("skipped: the one-step AOT cache needs JDK 25, this is " + Runtime.version());
            return;
        }
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (Path.of(entry).toFile().isDirectory()) {
                System.out.println("skipped: the AOT cache needs a class path of jar files only, and " + entry
                        + " is a directory (run-proxy-benchmark.sh uses the benchmarks jar)");
                return;
            }
        }
        Path cache = java.nio.file.Files.createTempDirectory("agentgateway-aot").resolve("startup.aot");
        System.out.println("training: " + startupRun(StartupProbe.class, "-XX:AOTCacheOutput=" + cache));
        for (int i = 0; i < 5; i++) {
            System.out.println(startupRun(StartupProbe.class, "-XX:AOTCache=" + cache));
        }
    }

    private static Wrk.Result report(String name, Wrk.Result result) {
        System.out.printf(Locale.ROOT, "%-8s %10.0f req/s  p50 %7.3f ms  p90 %7.3f ms  p99 %7.3f ms %s%n", name,
                result.requestsPerSecond(), result.p50Millis(), result.p90Millis(), result.p99Millis(), result.errors());
        return result;
    }

    private static String startupRun(Class<?> probe, String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", probe.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        process.waitFor();
        return output.lines().filter(line -> line.startsWith("startup")).findFirst().orElse("startup failed: " + output);
    }

    private static void requireTool(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("'" + command[0] + "' is not installed; run benchmarks/run-proxy-benchmark.sh, which installs it");
        }
    }
}
