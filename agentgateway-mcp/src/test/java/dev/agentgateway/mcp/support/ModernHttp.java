package dev.agentgateway.mcp.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Raw HTTP requests of the modern era (2026-07-28) to one endpoint: the {@code _meta} a stateless
 * request carries and the headers that mirror its body ({@code MCP-Protocol-Version}, {@code Mcp-Method},
 * {@code Mcp-Name}), so that a test can send exactly what it means to, headers dropped or wrong included.
 */
public final class ModernHttp {
    /** A response: status, content type, body as sent, and the JSON-RPC response in it (from JSON or the event stream). */
    public record Answer(int status, String contentType, String raw, JsonNode body) {
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ModernHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The per-request {@code _meta}: the 2026-07-28 version, {@code capabilities} and a client info. */
    public static ObjectNode meta(ObjectNode capabilities) {
        ObjectNode meta = RawMcpClient.object();
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.set("io.modelcontextprotocol/clientCapabilities", capabilities);
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", "raw").put("version", "1");
        return meta;
    }

    /** A request with {@code meta} as its params' {@code _meta}. */
    public static ObjectNode request(int id, String method, ObjectNode params, ObjectNode meta) {
        ObjectNode request = RawMcpClient.object();
        request.put("jsonrpc", "2.0").put("id", id).put("method", method);
        params.set("_meta", meta);
        request.set("params", params);
        return request;
    }

    /** POSTs with the standard modern headers taken from the body; {@code overrides} replace or (empty value) drop them. */
    public Answer post(ObjectNode message, Map<String, String> overrides) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("MCP-Protocol-Version", message.path("params").path("_meta").path("io.modelcontextprotocol/protocolVersion").asText("2026-07-28"));
        if (message.has("method")) {
            headers.put("Mcp-Method", message.path("method").asText());
        }
        JsonNode params = message.path("params");
        String method = message.path("method").asText();
        if (params.has("name")) {
            headers.put("Mcp-Name", params.path("name").asText());
        } else if (params.has("uri") && method.equals("resources/read")) {
            headers.put("Mcp-Name", params.path("uri").asText());
        } else if (params.has("taskId") && method.startsWith("tasks/")) {
            headers.put("Mcp-Name", params.path("taskId").asText());
        }
        if (overrides != null) {
            headers.putAll(overrides);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message.toString()));
        headers.forEach((name, value) -> {
            if (!value.isEmpty()) {
                request.header(name, value);
            }
        });
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        String raw = response.body();
        JsonNode body = null;
        if (type.startsWith("application/json")) {
            body = RawMcpClient.parse(raw);
        } else if (type.startsWith("text/event-stream")) {
            for (String line : raw.split("\n")) {
                if (line.startsWith("data: ") && line.contains("\"id\"") && !line.contains("\"method\"")) {
                    body = RawMcpClient.parse(line.substring(6));
                }
            }
        }
        return new Answer(response.statusCode(), type, raw, body);
    }
}
