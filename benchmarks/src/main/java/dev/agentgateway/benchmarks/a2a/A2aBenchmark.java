package dev.agentgateway.benchmarks.a2a;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

import dev.agentgateway.a2a.A2aBackend;
import dev.agentgateway.benchmarks.proxy.FirstEventProbe;
import dev.agentgateway.benchmarks.proxy.Wrk;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * What the A2A gateway adds: latency of a non-streaming {@code SendMessage} and time to the first event of
 * a {@code SendStreamingMessage} stream, through the gateway versus straight to the agent. One client
 * (JDK HttpClient, HTTP/1.1 keep-alive), requests one at a time, the two paths interleaved so that drift
 * on a shared machine hits both alike. A third path through the core's plain {@code HttpBackend} shows how much of
 * the added time is the HTTP hop itself and how much the A2A layer. Usage: {@code A2aBenchmark [samples]} (default 5000).
 */
public final class A2aBenchmark {
    private static final String SEND = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":"
            + "{\"messageId\":\"m1\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hello\"}]}}}";
    private static final String STREAM = SEND.replace("SendMessage", "SendStreamingMessage");
    private static final String RESULT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"2f9c0a1e-6b3d-4c1f-9e7a-0d5b8c2e4f61\","
            + "\"contextId\":\"c3a1b2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\","
            + "\"timestamp\":\"2026-11-23T19:30:20.986Z\"},\"artifacts\":[{\"artifactId\":\"a1\",\"name\":\"echo\","
            + "\"parts\":[{\"text\":\"echo hello\",\"mediaType\":\"text/plain\"}]}],\"metadata\":{}}}}";

    private A2aBenchmark() {
    }

    /** An agent that answers at once: a completed task, or a stream whose first event leaves immediately. */
    private static FakeHandler agent() {
        byte[] result = RESULT.getBytes();
        return (request, response) -> {
            String body = request.bodyText();
            if (body.contains("SendStreamingMessage")) {
                response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
                response.write("data: " + RESULT.replace("\"task\"", "\"statusUpdate\"") + "\n\n");
                response.write("data: " + RESULT + "\n\n");
                return;
            }
            response.status(200).header("Content-Type", "application/json").header("Content-Length", Integer.toString(result.length))
                    .write(result);
        };
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        try (FakeUpstream upstream = FakeUpstream.builder().handler("/rpc", agent()).recordLimit(1).build().start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(Route.builder("bench").pathPrefix("/agents/bench")
                             .backend(A2aBackend.builder().url(upstream.url()).jsonRpcPath("/rpc").build()))
                     .route(Route.builder("plain").path("/rpc").backend(HttpBackend.of(upstream.url())))
                     .start();
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            URI direct = URI.create(upstream.url() + "/rpc");
            URI through = gateway.uri().resolve("/agents/bench");
            URI plain = gateway.uri().resolve("/rpc");
            System.out.printf(Locale.ROOT, "A2A gateway benchmark: %d samples per path, %d cores, %s%n", samples,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

            // Warm-up (JIT, connection pools), then measure.
            measure(client, direct, through, plain, Math.max(2000, samples / 2), false);
            measure(client, direct, through, plain, Math.max(1000, samples / 4), true);
            long[][] send = measure(client, direct, through, plain, samples, false);
            report("SendMessage latency", send);
            long[][] ttfe = measure(client, direct, through, plain, samples, true);
            report("SendStreamingMessage time to first event", ttfe);
            outOfProcess(upstream.port(), gateway.port());
        }
    }

    /**
     * The same two figures with the measuring client outside this JVM's threads and heap: wrk (one
     * connection, requests back to back) for {@code SendMessage}, and raw sockets (a new connection per
     * stream, no client library, each stream read to its end) for the first event. In the in-JVM measurement above, the JDK client's
     * own threads, allocation and GC pauses share two cores with the gateway and the agent, and they
     * dominate its p99.
     */
    private static void outOfProcess(int agentPort, int gatewayPort) throws Exception {
        System.out.println("\n== with the client out of this JVM: wrk for SendMessage, raw sockets for the first event ==");
        if (!Wrk.installed()) {
            System.out.println("wrk is not installed (Debian package 'wrk'): the SendMessage part of this section needs it");
        } else {
            String script = "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                    + "wrk.headers[\"A2A-Version\"] = \"1.0\"\nwrk.body = '" + SEND + "'\n";
            String direct = "http://127.0.0.1:" + agentPort + "/rpc";
            String through = "http://127.0.0.1:" + gatewayPort + "/agents/bench";
            Wrk.run(through, 1, 4, 5, script);
            Wrk.run(direct, 1, 4, 5, script);
            for (int round = 1; round <= 2; round++) {
                Wrk.Result d = Wrk.run(direct, 1, 1, 10, script);
                Wrk.Result g = Wrk.run(through, 1, 1, 10, script);
                System.out.printf(Locale.ROOT, "SendMessage round %d (ms)  p50 / p90 / p99: direct %.3f / %.3f / %.3f %s, gateway %.3f / %.3f / %.3f %s;"
                        + " added p50 %+.3f, p99 %+.3f%n", round, d.p50Millis(), d.p90Millis(), d.p99Millis(), d.errors(),
                        g.p50Millis(), g.p90Millis(), g.p99Millis(), g.errors(), g.p50Millis() - d.p50Millis(), g.p99Millis() - d.p99Millis());
            }
        }
        byte[] marker = "data: ".getBytes(StandardCharsets.US_ASCII);
        FirstEventProbe.measure(agentPort, streamRequest(agentPort, "/rpc"), marker, 1000, true);
        FirstEventProbe.measure(gatewayPort, streamRequest(gatewayPort, "/agents/bench"), marker, 1000, true);
        long[] d = FirstEventProbe.measure(agentPort, streamRequest(agentPort, "/rpc"), marker, 3000, true);
        long[] g = FirstEventProbe.measure(gatewayPort, streamRequest(gatewayPort, "/agents/bench"), marker, 3000, true);
        System.out.printf(Locale.ROOT, "SendStreamingMessage first event, new connection each (ms)  p50 / p99: direct %.3f / %.3f,"
                + " gateway %.3f / %.3f; added p50 %+.3f, p99 %+.3f%n",
                FirstEventProbe.percentile(d, 50) / 1000.0, FirstEventProbe.percentile(d, 99) / 1000.0,
                FirstEventProbe.percentile(g, 50) / 1000.0, FirstEventProbe.percentile(g, 99) / 1000.0,
                (FirstEventProbe.percentile(g, 50) - FirstEventProbe.percentile(d, 50)) / 1000.0,
                (FirstEventProbe.percentile(g, 99) - FirstEventProbe.percentile(d, 99)) / 1000.0);
    }

    private static byte[] streamRequest(int port, String path) {
        byte[] body = STREAM.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Accept: text/event-stream\r\nA2A-Version: 1.0\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] request = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, request, 0, head.length());
        System.arraycopy(body, 0, request, head.length(), body.length);
        return request;
    }

    private static long[][] measure(HttpClient client, URI direct, URI through, URI plain, int samples, boolean stream) throws Exception {
        long[] d = new long[samples];
        long[] g = new long[samples];
        long[] h = new long[samples];
        for (int i = 0; i < samples; i++) {
            d[i] = once(client, direct, stream);
            g[i] = once(client, through, stream);
            h[i] = once(client, plain, stream);
        }
        return new long[][] {d, g, h};
    }

    /** Nanoseconds to the whole answer, or for a stream to the end of its first event (the rest is drained after). */
    private static long once(HttpClient client, URI uri, boolean stream) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(stream ? STREAM : SEND)).build();
        long start = System.nanoTime();
        if (!stream) {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - start;
            if (response.statusCode() != 200 || response.body().length < 100) {
                throw new IllegalStateException("unexpected answer " + response.statusCode() + " from " + uri);
            }
            return took;
        }
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int previous = -1;
            int b;
            while ((b = body.read()) >= 0) {
                if (b == '\n' && previous == '\n') {
                    long took = System.nanoTime() - start;
                    body.transferTo(java.io.OutputStream.nullOutputStream());
                    return took;
                }
                previous = b;
            }
        }
        throw new IllegalStateException("no event from " + uri);
    }

    private static void report(String what, long[][] paths) {
        long[] direct = paths[0];
        long[] gateway = paths[1];
        long[] plain = paths[2];
        Arrays.sort(direct);
        Arrays.sort(gateway);
        Arrays.sort(plain);
        System.out.printf(Locale.ROOT, "%n%s (ms)        p50      p90      p99     mean%n", what);
        row("  direct  ", direct);
        row("  gateway ", gateway);
        row("  http    ", plain);
        System.out.printf(Locale.ROOT, "  added     %8.3f %8.3f %8.3f %8.3f%n", ms(p(gateway, 50) - p(direct, 50)),
                ms(p(gateway, 90) - p(direct, 90)), ms(p(gateway, 99) - p(direct, 99)), ms(mean(gateway) - mean(direct)));
        System.out.printf(Locale.ROOT, "  a2a layer %8.3f %8.3f %8.3f %8.3f   (gateway minus plain HttpBackend)%n",
                ms(p(gateway, 50) - p(plain, 50)), ms(p(gateway, 90) - p(plain, 90)), ms(p(gateway, 99) - p(plain, 99)),
                ms(mean(gateway) - mean(plain)));
        System.out.printf(Locale.ROOT, "  ratio     %8.2f %8.2f %8.2f %8.2f%n", (double) p(gateway, 50) / p(direct, 50),
                (double) p(gateway, 90) / p(direct, 90), (double) p(gateway, 99) / p(direct, 99), mean(gateway) / mean(direct));
    }

    private static void row(String label, long[] sorted) {
        System.out.printf(Locale.ROOT, "%s %8.3f %8.3f %8.3f %8.3f%n", label, ms(p(sorted, 50)), ms(p(sorted, 90)), ms(p(sorted, 99)),
                ms(mean(sorted)));
    }

    private static long p(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }

    private static double ms(double nanos) {
        return nanos / 1_000_000.0;
    }
}
