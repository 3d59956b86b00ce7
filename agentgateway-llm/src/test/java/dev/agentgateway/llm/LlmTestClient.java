package dev.agentgateway.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.test.GatewayExtension;

/** Calls the gateway over HTTP the way an LLM client does, and reads JSON and event streams. */
final class LlmTestClient {
    static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayExtension gateway;

    LlmTestClient(GatewayExtension gateway) {
        this.gateway = gateway;
    }

    record Answer(int status, JsonNode body, String text) {
    }

    Answer post(String path, String json) throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parse(response.body()), response.body());
    }

    Answer get(String path) throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), parse(response.body()), response.body());
    }

    /** Opens a stream; read it with {@link #events}. */
    HttpResponse<InputStream> stream(String path, String json) throws Exception {
        return gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Opens a stream without waiting for the headers: the gateway sends them once the provider's first
     * chunk has arrived (until then it can still fail over), so a test driving the provider by hand
     * sends that chunk before joining.
     */
    java.util.concurrent.CompletableFuture<HttpResponse<InputStream>> streamAsync(String path, String json) {
        return gateway.httpClient().sendAsync(HttpRequest.newBuilder(gateway.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A whole event stream as (event type or null, data) pairs. */
    static List<String[]> events(InputStream body) throws IOException {
        List<String[]> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String[] next;
            while ((next = nextEvent(reader)) != null) {
                events.add(next);
            }
        }
        return events;
    }

    /** The next event of a stream (type or null, data), or null at the end. */
    static String[] nextEvent(BufferedReader reader) throws IOException {
        String line;
        String type = null;
        StringBuilder data = null;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new String[] {type, data.toString()};
                }
                type = null;
                continue;
            }
            if (line.startsWith("event:")) {
                type = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : new String[] {type, data.toString()};
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
