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
    private final List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> protocolHeaders = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, java.util.concurrent.CountDownLatch> cancellations = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private volatile boolean catalog;
    private volatile String answeredVersion;
    private volatile ObjectNode inputSchema;

    public FakeMcpServer(String name, int tools, int pageSize) {
        this.name = name;
        this.tools = tools;
        this.pageSize = pageSize;
    }

    /**
     * Also offers prompts ({@code hello}, {@code secret}), resources ({@code mem://hello},
     * {@code mem://secret}) and templates ({@code mem://hello/{x}}, {@code mem://secret/{x}}), which it
     * gets and reads for any name.
     */
    public FakeMcpServer withCatalog() {
        this.catalog = true;
        return this;
    }

    /** Gives every tool this input schema (default {@code {"type": "object"}}). */
    public FakeMcpServer withInputSchema(ObjectNode schema) {
        this.inputSchema = schema.deepCopy();
        return this;
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

    /** Notifications received (after the handshake's). */
    public List<JsonNode> notifications() {
        return notifications;
    }

    /** Requests received. */
    public List<JsonNode> requests() {
        return requests;
    }

    /** The MCP-Protocol-Version header of every request after initialize. */
    public List<String> protocolHeaders() {
        return protocolHeaders;
    }

    /** Answers initialize with this version whatever the client asked (the version negotiation of a server). */
    public void answeredVersion(String version) {
        this.answeredVersion = version;
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
        if (request.method().equals("GET")) {
            resume(request, response);
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
        if (!method.equals("initialize")) {
            protocolHeaders.add(String.valueOf(request.header("MCP-Protocol-Version")));
        }
        if (message.has("method") && !message.has("id")) {
            notifications.add(message);
            if (method.equals("notifications/cancelled")) {
                var latch = cancellations.get(message.path("params").path("requestId").asText());
                if (latch != null) {
                    latch.countDown();
                }
            }
        } else if (message.has("method")) {
            requests.add(message);
        }
        if (method.equals("initialize")) {
            initializes.incrementAndGet();
            String session = UUID.randomUUID().toString();
            sessions.add(session);
            ObjectNode result = RawMcpClient.object();
            result.put("protocolVersion", answeredVersion != null ? answeredVersion : message.path("params").path("protocolVersion").asText());
            ObjectNode capabilities = result.putObject("capabilities");
            capabilities.putObject("tools");
            if (catalog) {
                capabilities.putObject("prompts");
                capabilities.putObject("resources");
            }
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
        if (catalog && catalog(method, message.path("params"), result)) {
            response.status(200).header("Content-Type", "application/json").write(answer(message, result).toString());
            return;
        }
        switch (method) {
            case "tools/list" -> {
                int start = message.path("params").has("cursor") ? Integer.parseInt(message.path("params").path("cursor").asText().substring(1)) : 0;
                var list = result.putArray("tools");
                for (int i = start; i < Math.min(tools, start + pageSize); i++) {
                    ObjectNode tool = list.addObject();
                    tool.put("name", "tool" + i);
                    if (inputSchema != null) {
                        tool.set("inputSchema", inputSchema.deepCopy());
                    } else {
                        tool.putObject("inputSchema").put("type", "object");
                    }
                    tool.putObject("_meta").put("vendor/x", i);
                }
                if (start + pageSize < tools) {
                    result.put("nextCursor", "p" + (start + pageSize));
                }
            }
            case "tools/call" -> {
                String tool = message.path("params").path("name").asText();
                if (tool.equals("slow")) {
                    // runs until the client cancels it (or 20 s pass)
                    var latch = new java.util.concurrent.CountDownLatch(1);
                    cancellations.put(message.get("id").asText(), latch);
                    latch.await(20, java.util.concurrent.TimeUnit.SECONDS);
                    return;
                }
                if (tool.equals("drop")) {
                    response.abortConnection();
                    return;
                }
                if (tool.equals("flaky")) {
                    flaky(message, response);
                    return;
                }
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

    /**
     * Answers with an event stream: a priming event, one progress notification, then the connection drops;
     * the rest (a second progress notification and the response) is kept for a GET with Last-Event-ID.
     */
    private void flaky(JsonNode message, FakeResponse response) throws Exception {
        JsonNode token = message.path("params").path("_meta").path("progressToken");
        String stream = "s" + message.get("id").asText();
        response.status(200).header("Content-Type", "text/event-stream");
        response.write("id: " + stream + "-0\nretry: 50\ndata: \n\n");
        response.write("id: " + stream + "-1\nevent: message\ndata: " + progress(token, 1) + "\n\n");
        ObjectNode result = RawMcpClient.object();
        result.putArray("content").addObject().put("type", "text").put("text", "survived the drop");
        pendingReplays.put(stream + "-1", List.of(progress(token, 2).toString(), answer(message, result).toString()));
        Thread.sleep(50);
        response.abortConnection();
    }

    private final java.util.Map<String, List<String>> pendingReplays = new ConcurrentHashMap<>();

    private void resume(FakeRequest request, FakeResponse response) throws Exception {
        String lastEventId = request.header("Last-Event-ID");
        List<String> replay = lastEventId == null ? null : pendingReplays.remove(lastEventId);
        if (replay == null) {
            response.status(405);
            return;
        }
        String stream = lastEventId.substring(0, lastEventId.lastIndexOf('-'));
        response.status(200).header("Content-Type", "text/event-stream");
        for (int i = 0; i < replay.size(); i++) {
            response.write("id: " + stream + "-" + (i + 2) + "\nevent: message\ndata: " + replay.get(i) + "\n\n");
        }
    }

    /** The catalog's answer to {@code method} in {@code result}; {@code false} for methods it does not offer. */
    private boolean catalog(String method, JsonNode params, ObjectNode result) {
        switch (method) {
            case "prompts/list" -> {
                for (String prompt : List.of("hello", "secret")) {
                    result.withArray("prompts").addObject().put("name", prompt);
                }
            }
            case "prompts/get" -> result.putArray("messages").addObject().put("role", "user")
                    .putObject("content").put("type", "text").put("text", name + ":" + params.path("name").asText());
            case "resources/list" -> {
                for (String uri : List.of("mem://hello", "mem://secret")) {
                    result.withArray("resources").addObject().put("uri", uri).put("name", uri);
                }
            }
            case "resources/templates/list" -> {
                for (String template : List.of("mem://hello/{x}", "mem://secret/{x}")) {
                    result.withArray("resourceTemplates").addObject().put("uriTemplate", template).put("name", template);
                }
            }
            case "resources/read" -> result.putArray("contents").addObject().put("uri", params.path("uri").asText())
                    .put("text", name + ":" + params.path("uri").asText());
            default -> {
                return false;
            }
        }
        return true;
    }

    private static ObjectNode progress(JsonNode token, int progress) {
        ObjectNode notification = RawMcpClient.notification("notifications/progress", RawMcpClient.object());
        ((ObjectNode) notification.get("params")).set("progressToken", token);
        ((ObjectNode) notification.get("params")).put("progress", progress).put("total", 2);
        return notification;
    }

    private static ObjectNode answer(JsonNode request, JsonNode result) {
        ObjectNode response = RawMcpClient.object();
        response.put("jsonrpc", "2.0");
        response.set("id", request.get("id"));
        response.set("result", result);
        return response;
    }
}
