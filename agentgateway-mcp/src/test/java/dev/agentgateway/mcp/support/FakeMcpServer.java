package dev.agentgateway.mcp.support;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A small Streamable HTTP MCP server speaking the real wire format (JSON answers, {@code Mcp-Session-Id},
 * 404 for unknown sessions), whose behaviour tests can steer: paged tool lists, failures, forgetting
 * sessions. Records what it received.
 */
public final class FakeMcpServer implements FakeHandler {
    private final String name;
    private final int tools;
    private final int pageSize;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicInteger initializes = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> methods = new CopyOnWriteArrayList<>();
    private volatile boolean failing;

    public FakeMcpServer(String name, int tools, int pageSize) {
        this.name = name;
        this.tools = tools;
        this.pageSize = pageSize;
    }

    public int initializes() {
        return initializes.get();
    }

    /** The Authorization header of every tools/call received (or "none"). */
    public List<String> authorizations() {
        return authorizations;
    }

    public List<String> methods() {
        return methods;
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Forgets every session, as a restarted server would: the next request with an old id gets 404. */
    public void forgetSessions() {
        sessions.clear();
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        if (request.method().equals("DELETE")) {
            sessions.remove(request.header("Mcp-Session-Id"));
            response.status(200);
            return;
        }
        if (!request.method().equals("POST")) {
            response.status(405);
            return;
        }
        if (failing) {
            response.status(500).header("Content-Type", "text/plain").write("broken on purpose");
            return;
        }
        JsonNode message = RawMcpClient.parse(request.bodyText());
        String method = message.path("method").asText();
        methods.add(method);
        if (method.equals("initialize")) {
            initializes.incrementAndGet();
            String session = UUID.randomUUID().toString();
            sessions.add(session);
            ObjectNode result = RawMcpClient.object();
            result.put("protocolVersion", message.path("params").path("protocolVersion").asText());
            result.putObject("capabilities").putObject("tools");
            result.putObject("serverInfo").put("name", name).put("version", "1");
            response.status(200).header("Content-Type", "application/json").header("Mcp-Session-Id", session)
                    .write(answer(message, result).toString());
            return;
        }
        if (!sessions.contains(String.valueOf(request.header("Mcp-Session-Id")))) {
            response.status(404).header("Content-Type", "application/json")
                    .write("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not found\"}}");
            return;
        }
        if (!message.has("id")) {
            response.status(202);
            return;
        }
        ObjectNode result = RawMcpClient.object();
        switch (method) {
            case "tools/list" -> {
                int start = message.path("params").has("cursor") ? Integer.parseInt(message.path("params").path("cursor").asText().substring(1)) : 0;
                var list = result.putArray("tools");
                for (int i = start; i < Math.min(tools, start + pageSize); i++) {
                    ObjectNode tool = list.addObject();
                    tool.put("name", "tool" + i);
                    tool.putObject("inputSchema").put("type", "object");
                    tool.putObject("_meta").put("vendor/x", i);
                }
                if (start + pageSize < tools) {
                    result.put("nextCursor", "p" + (start + pageSize));
                }
            }
            case "tools/call" -> {
                String authorization = request.header("Authorization");
                authorizations.add(authorization == null ? "none" : authorization);
                result.putArray("content").addObject().put("type", "text")
                        .put("text", name + ":" + message.path("params").path("name").asText() + ":" + message.path("params").path("arguments"));
            }
            default -> {
                response.status(200).header("Content-Type", "application/json").write(("{\"jsonrpc\":\"2.0\",\"id\":" + message.get("id")
                        + ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}"));
                return;
            }
        }
        response.status(200).header("Content-Type", "application/json").write(answer(message, result).toString());
    }

    private static ObjectNode answer(JsonNode request, JsonNode result) {
        ObjectNode response = RawMcpClient.object();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        response.set("result", result);
        return response;
    }
}
