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
    /** Whether requests are modern (2026-07-28): no sessions, the client in each request's _meta, mirrored headers. */
    private final boolean modern;
    /** Who the requests say they come from ({@code X-Bench-User}), or {@code null}. */
    private final String user;

    McpClientLoad(URI endpoint, HttpClient http) {
        this(endpoint, http, false);
    }

    McpClientLoad(URI endpoint, HttpClient http, boolean modern) {
        this(endpoint, http, modern, null);
    }

    private McpClientLoad(URI endpoint, HttpClient http, boolean modern, String user) {
        this.endpoint = endpoint;
        this.http = http;
        this.modern = modern;
        this.user = user;
    }

    /** The same client calling as {@code user} (sent as {@code X-Bench-User}, for a gateway that authenticates from it). */
    McpClientLoad as(String user) {
        return new McpClientLoad(endpoint, http, modern, user);
    }

    /** A modern client's params: {@code params} with the per-request _meta. */
    private static String modernParams(String params) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode node = params == null ? JSON.createObjectNode()
                : (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(params);
        com.fasterxml.jackson.databind.node.ObjectNode meta = node.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "bench").put("version", "1");
        return JSON.writeValueAsString(node);
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
        String sent = modern ? modernParams(params) : params;
        HttpResponse<String> response = post(session, "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\""
                + (sent == null ? "" : ",\"params\":" + sent) + "}", method, params);
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
        return post(session, body, null, null);
    }

    private HttpResponse<String> post(String session, String body, String method, String params) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", modern ? "2026-07-28" : "2025-06-18")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (modern && method != null) {
            request.header("Mcp-Method", method);
            JsonNode name = params == null ? null : JSON.readTree(params).get("name");
            if (name != null) {
                request.header("Mcp-Name", name.asText());
            }
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        if (user != null) {
            request.header("X-Bench-User", user);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code clients} sessions calling {@code method} in a closed loop: warm-up, then the measured period. */
    Result run(String label, int clients, Duration warmUp, Duration measure, String method, String params) throws Exception {
        List<String> sessions = sessions(clients);
        measure(sessions, warmUp, method, params);
        long[] samples = measure(sessions, measure, method, params);
        return new Result(label, samples.length - 1, measure.toNanos() / 1e9, Arrays.copyOf(samples, samples.length - 1),
                samples[samples.length - 1]);
    }

    /** Opens {@code clients} sessions. */
    List<String> sessions(int clients) throws Exception {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            sessions.add(modern ? null : initialize()); // modern clients hold no session
        }
        return sessions;
    }

    /**
     * Every session calls {@code method} in a closed loop for {@code period}; returns the latencies of the
     * calls that ended within it, sorted, followed by the number of errors as the last element.
     */
    long[] measure(List<String> sessions, Duration period, String method, String params) throws Exception {
        AtomicLong ids = new AtomicLong(1);
        long endAt = System.nanoTime() + period.toNanos();
        AtomicLong errors = new AtomicLong();
        List<long[]> perClient = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (String session : sessions) {
            long[] samples = new long[200_000];
            int[] count = {0};
            perClient.add(samples);
            counts.add(count);
            threads.add(Thread.ofVirtual().start(() -> {
                while (true) {
                    long start = System.nanoTime();
                    if (start >= endAt) {
                        break;
                    }
                    try {
                        if (call(session, ids.incrementAndGet(), method, params).has("error")) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    long end = System.nanoTime();
                    if (end <= endAt && count[0] < samples.length) {
                        samples[count[0]++] = end - start;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        int total = 0;
        for (int[] count : counts) {
            total += count[0];
        }
        long[] all = new long[total + 1];
        int at = 0;
        for (int i = 0; i < perClient.size(); i++) {
            System.arraycopy(perClient.get(i), 0, all, at, counts.get(i)[0]);
            at += counts.get(i)[0];
        }
        Arrays.sort(all, 0, total);
        all[total] = errors.get();
        return all;
    }

    /** Merges the samples of several {@link #measure} rounds into one result. */
    static Result merge(String label, List<long[]> rounds, Duration roundLength) {
        int total = 0;
        long errors = 0;
        for (long[] round : rounds) {
            total += round.length - 1;
            errors += round[round.length - 1];
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] round : rounds) {
            System.arraycopy(round, 0, all, at, round.length - 1);
            at += round.length - 1;
        }
        Arrays.sort(all);
        return new Result(label, total, rounds.size() * roundLength.toNanos() / 1e9, all, errors);
    }
}
