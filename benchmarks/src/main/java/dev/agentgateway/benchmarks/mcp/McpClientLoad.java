package dev.agentgateway.benchmarks.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Drives an MCP Streamable HTTP endpoint: {@code clients} sessions, each sending one request after the
 * other (closed loop) for a while; records every latency. Reads JSON and event-stream answers alike.
 */
final class McpClientLoad {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http;

    McpClientLoad(URI endpoint, HttpClient http) {
        this.endpoint = endpoint;
        this.http = http;
    }

    /** The figures of one measurement. */
    record Result(String path, long calls, double seconds, long[] sortedNanos, long errors) {
        double throughput() {
            return calls / seconds;
        }

        double percentileMillis(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(p / 100 * sortedNanos.length) - 1);
            return sortedNanos[Math.max(0, index)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("%-34s %8.0f calls/s   p50 %7.2f ms   p99 %7.2f ms   (%d calls, %d errors)", path, throughput(),
                    percentileMillis(50), percentileMillis(99), calls, errors);
        }
    }

    /** Opens a session: initialize + notifications/initialized; returns the session id (or null when the server has none). */
    String initialize() throws IOException, InterruptedException {
        HttpResponse<String> response = post(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
        if (response.statusCode() != 200) {
            throw new IOException("initialize answered " + response.statusCode() + ": " + response.body());
        }
        String session = response.headers().firstValue("Mcp-Session-Id").orElse(null);
        post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        return session;
    }

    /** Sends one request; returns its response message. */
    JsonNode call(String session, long id, String method, String params) throws IOException, InterruptedException {
        HttpResponse<String> response = post(session, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (params == null ? "" : ",\"params\":" + params) + "}");
        if (response.statusCode() != 200) {
            throw new IOException(method + " answered " + response.statusCode() + ": " + response.body());
        }
        String body = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:") && line.length() > 6) {
                    JsonNode message = JSON.readTree(line.substring(5).trim());
                    if (message.has("id") && message.path("id").asLong() == id && !message.has("method")) {
                        return message;
                    }
                }
            }
            throw new IOException("no response in the event stream: " + body);
        }
        return JSON.readTree(body);
    }

    private HttpResponse<String> post(String session, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code clients} sessions calling {@code method} in a closed loop: warm-up, then the measured period. */
    Result run(String label, int clients, Duration warmUp, Duration measure, String method, String params) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sessions.add(initialize());
        }
        AtomicLong ids = new AtomicLong(1);
        long warmUntil = System.nanoTime() + warmUp.toNanos();
        long endAt = warmUntil + measure.toNanos();
        List<long[]> perClient = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (String session : sessions) {
            long[] samples = new long[400_000];
            perClient.add(samples);
            int[] count = {0};
            Thread thread = Thread.ofVirtual().start(() -> {
                while (true) {
                    long start = System.nanoTime();
                    if (start >= endAt) {
                        break;
                    }
                    try {
                        JsonNode response = call(session, ids.incrementAndGet(), method, params);
                        if (response.has("error")) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    long end = System.nanoTime();
                    if (start >= warmUntil && end <= endAt && count[0] < samples.length) {
                        samples[count[0]++] = end - start;
                    }
                }
                samples[samples.length - 1] = count[0];
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long total = 0;
        for (long[] samples : perClient) {
            total += samples[samples.length - 1];
        }
        long[] all = new long[(int) total];
        int at = 0;
        for (long[] samples : perClient) {
            int n = (int) samples[samples.length - 1];
            System.arraycopy(samples, 0, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        return new Result(label, total, measure.toNanos() / 1e9, all, errors.get());
    }
}
