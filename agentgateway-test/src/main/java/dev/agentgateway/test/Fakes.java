package dev.agentgateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpField;

/**
 * Ready-made {@link FakeHandler}s: echo, canned answers, paced server-sent events, slow and failing
 * upstreams, large bodies.
 */
public final class Fakes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fakes() {
    }

    /**
     * Answers 200 with a JSON description of the request: {@code method}, {@code path}, {@code query},
     * {@code protocol}, {@code headers} (name to list of values, names lower-cased) and {@code body}.
     */
    public static FakeHandler echo() {
        return (request, response) -> {
            ObjectNode json = JSON.createObjectNode();
            json.put("method", request.method());
            json.put("path", request.path());
            json.put("query", request.query());
            json.put("protocol", request.protocol());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (HttpField field : request.headers()) {
                headers.computeIfAbsent(field.getLowerCaseName(), k -> new java.util.ArrayList<>()).add(field.getValue());
            }
            json.set("headers", JSON.valueToTree(headers));
            json.put("body", request.bodyText());
            byte[] body = JSON.writeValueAsBytes(json);
            response.status(200).header("Content-Type", "application/json")
                    .header("Content-Length", Integer.toString(body.length)).write(body);
        };
    }

    /** Streams the request body back as it arrives, with the request's content type (constant memory). */
    public static FakeHandler streamingEcho() {
        return (request, response) -> {
            String type = request.header("Content-Type");
            response.status(200).header("Content-Type", type == null ? "application/octet-stream" : type);
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = request.bodyStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (n > 0) {
                        response.write(Arrays.copyOf(buffer, n));
                    }
                }
            }
        };
    }

    /** Answers with a fixed status and text body ({@code text/plain}). */
    public static FakeHandler canned(int status, String body) {
        return canned(status, Map.of("Content-Type", "text/plain;charset=utf-8"), body);
    }

    /** Answers with a fixed status, headers and body. */
    public static FakeHandler canned(int status, Map<String, String> headers, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return (request, response) -> {
            response.status(status);
            headers.forEach(response::header);
            response.header("Content-Length", Integer.toString(bytes.length));
            if (bytes.length > 0 && !"HEAD".equals(request.method())) {
                response.write(bytes);
            }
        };
    }

    /** Answers with a fixed status and a JSON body. */
    public static FakeHandler json(int status, String json) {
        return canned(status, Map.of("Content-Type", "application/json"), json);
    }

    /**
     * Server-sent events: each of {@code data} is sent as {@code data: ...} followed by a blank line,
     * {@code interval} apart (the first at once), each flushed on its own.
     */
    public static FakeHandler sse(Duration interval, String... data) {
        List<String> events = List.of(data);
        return (request, response) -> {
            response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
            for (int i = 0; i < events.size(); i++) {
                if (i > 0) {
                    Thread.sleep(interval);
                }
                response.write("data: " + events.get(i) + "\n\n");
            }
        };
    }

    /** Server-sent events whose pace the test controls through {@code stream}. */
    public static FakeHandler sse(SseStream stream) {
        return (request, response) -> {
            response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
            response.write(": stream open\n\n");
            stream.pump(response);
        };
    }

    /** Waits {@code delay} before handing over to {@code then}: an upstream slow to answer. */
    public static FakeHandler slow(Duration delay, FakeHandler then) {
        return (request, response) -> {
            Thread.sleep(delay);
            then.handle(request, response);
        };
    }

    /** Closes the connection without answering: an upstream that crashes on the request. */
    public static FakeHandler dropConnection() {
        return (request, response) -> response.abortConnection();
    }

    /**
     * Starts a response announcing {@code declaredLength} bytes, sends {@code partial}, then closes the
     * connection: an upstream that dies mid-response.
     */
    public static FakeHandler dieMidResponse(String partial, long declaredLength) {
        return (request, response) -> {
            response.status(200).header("Content-Type", "text/plain").header("Content-Length", Long.toString(declaredLength));
            response.write(partial);
            Thread.sleep(50);
            response.abortConnection();
        };
    }

    /** Streams {@code size} bytes of a repeating pattern in 16 KiB writes, without holding them in memory. */
    public static FakeHandler bytes(long size) {
        return (request, response) -> {
            response.status(200).header("Content-Type", "application/octet-stream").header("Content-Length", Long.toString(size));
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = (byte) ('a' + i % 26);
            }
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                response.write(n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                left -= n;
            }
        };
    }

    /** Drains the request body and answers with its size as text: for uploads. */
    public static FakeHandler countBody() {
        return (request, response) -> {
            long count = 0;
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = request.bodyStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    count += n;
                }
            } catch (IOException e) {
                throw e;
            }
            response.status(200).header("Content-Type", "text/plain").write(Long.toString(count));
        };
    }
}
