package dev.agentgateway.mcp.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A minimal Streamable HTTP client speaking raw JSON-RPC, for tests that look at the wire: it shows the
 * HTTP status, headers and every message, answers server requests with a handler, and reads JSON or
 * event-stream answers.
 */
public final class RawMcpClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong ids = new AtomicLong();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, JsonNode> serverRequests = request -> null;
    private String sessionId;
    private String protocolVersion;
    private final java.util.Map<String, String> headers = new java.util.concurrent.ConcurrentHashMap<>();

    public RawMcpClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String sessionId() {
        return sessionId;
    }

    /** Sends this header with every request from now on (a credential, a test identity). */
    public RawMcpClient header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public RawMcpClient sessionId(String id) {
        this.sessionId = id;
        return this;
    }

    /** Every message received besides responses to our requests (notifications, server requests). */
    public List<JsonNode> received() {
        return received;
    }

    /** How server requests (sampling, elicitation, roots) are answered: the result object, or null for an error. */
    public RawMcpClient onServerRequest(Function<JsonNode, JsonNode> handler) {
        this.serverRequests = handler;
        return this;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** initialize + notifications/initialized; returns the initialize result. */
    public JsonNode initialize(ObjectNode capabilities) throws Exception {
        ObjectNode params = object();
        params.put("protocolVersion", "2025-11-25");
        params.set("capabilities", capabilities);
        params.putObject("clientInfo").put("name", "raw-test").put("version", "1.0");
        HttpResponse<String> response = post(request("initialize", params));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("initialize answered HTTP " + response.statusCode() + ": " + response.body());
        }
        JsonNode body = message(response);
        if (body.has("error")) {
            throw new IllegalStateException("initialize failed: " + body);
        }
        sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
        protocolVersion = body.path("result").path("protocolVersion").asText();
        HttpResponse<String> initialized = post(notification("notifications/initialized", null));
        if (initialized.statusCode() != 202) {
            throw new IllegalStateException("notifications/initialized answered HTTP " + initialized.statusCode());
        }
        return body.get("result");
    }

    public ObjectNode request(String method, JsonNode params) {
        ObjectNode request = object();
        request.put("jsonrpc", "2.0");
        request.put("id", (int) ids.incrementAndGet());
        request.put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        return request;
    }

    public static ObjectNode notification(String method, JsonNode params) {
        ObjectNode notification = object();
        notification.put("jsonrpc", "2.0");
        notification.put("method", method);
        if (params != null) {
            notification.set("params", params);
        }
        return notification;
    }

    /** The one message of a response body, whether JSON or an event stream. */
    public static JsonNode message(HttpResponse<String> response) {
        if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            return parse(response.body());
        }
        for (String line : response.body().split("\n")) {
            if (line.startsWith("data:") && line.length() > 6) {
                return parse(line.substring(5).trim());
            }
        }
        throw new IllegalStateException("no message in the event stream: " + response.body());
    }

    /** Sends a request and returns its response message (from JSON or from the event stream). */
    public JsonNode call(String method, JsonNode params) throws Exception {
        ObjectNode request = request(method, params);
        HttpResponse<Stream<String>> response = http.send(builder().POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body = String.join("\n", response.body().toList());
            throw new IllegalStateException(method + " answered HTTP " + response.statusCode() + ": " + body);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("application/json")) {
            return parse(String.join("\n", response.body().toList()));
        }
        return readUntilResponse(response.body().iterator(), request.get("id"));
    }

    /** Reads events until the response with {@code id}; answers server requests on the way. */
    public JsonNode readUntilResponse(Iterator<String> lines, JsonNode id) throws Exception {
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty() && !data.isEmpty()) {
                JsonNode message = parse(data.toString());
                data.setLength(0);
                if (message.has("id") && !message.has("method") && message.get("id").equals(id)) {
                    return message;
                }
                received.add(message);
                if (message.has("id") && message.has("method")) {
                    answer(message);
                }
            }
        }
        throw new IllegalStateException("the event stream ended without the response to " + id);
    }

    private void answer(JsonNode request) {
        JsonNode result = serverRequests.apply(request);
        ObjectNode response = object();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        if (result != null) {
            response.set("result", result);
        } else {
            response.putObject("error").put("code", -32601).put("message", "not supported by the test client");
        }
        Thread.ofVirtual().start(() -> {
            try {
                post(response);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** POSTs one message as is; returns the raw HTTP response. */
    public HttpResponse<String> post(JsonNode message) throws Exception {
        return post(message.toString());
    }

    public HttpResponse<String> post(String body) throws Exception {
        return http.send(builder().POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request builder with the session's headers and the Accept/Content-Type MCP requires. */
    public HttpRequest.Builder builder() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            builder.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            builder.header("MCP-Protocol-Version", protocolVersion);
        }
        headers.forEach(builder::header);
        return builder;
    }

    public HttpClient http() {
        return http;
    }

    @Override
    public void close() {
        http.close();
    }
}
