package dev.agentgateway.benchmarks.mcp;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A minimal in-JVM Streamable HTTP MCP server for the fan-out and heap measurements: JSON answers,
 * session ids, {@code tools} tools, an optional fixed delay per request (a slower or faster target).
 */
final class BenchMcpServer implements FakeHandler {
    private final ObjectMapper json = new ObjectMapper();
    private final String name;
    private final int tools;
    private final long delayMillis;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    BenchMcpServer(String name, int tools, long delayMillis) {
        this.name = name;
        this.tools = tools;
        this.delayMillis = delayMillis;
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        if (!request.method().equals("POST")) {
            if (request.method().equals("DELETE")) {
                sessions.remove(request.header("Mcp-Session-Id"));
            }
            response.status(request.method().equals("DELETE") ? 200 : 405);
            return;
        }
        JsonNode message = json.readTree(request.body());
        if (!message.has("id")) {
            response.status(202);
            return;
        }
        if (delayMillis > 0) {
            Thread.sleep(delayMillis);
        }
        ObjectNode result = json.createObjectNode();
        switch (message.path("method").asText()) {
            case "initialize" -> {
                String session = UUID.randomUUID().toString();
                sessions.add(session);
                response.header("Mcp-Session-Id", session);
                result.put("protocolVersion", message.path("params").path("protocolVersion").asText());
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", name).put("version", "1");
            }
            case "tools/list" -> {
                ArrayNode list = result.putArray("tools");
                for (int i = 0; i < tools; i++) {
                    ObjectNode tool = list.addObject().put("name", "tool" + i).put("description", "Tool number " + i + " of " + name);
                    tool.putObject("inputSchema").put("type", "object").putObject("properties").putObject("text").put("type", "string");
                }
            }
            case "tools/call" -> result.putArray("content").addObject().put("type", "text")
                    .put("text", message.path("params").path("arguments").path("text").asText());
            default -> result.put("unused", true);
        }
        ObjectNode answer = json.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", message.get("id"));
        answer.set("result", result);
        response.status(200).header("Content-Type", "application/json").write(json.writeValueAsBytes(answer));
    }
}
