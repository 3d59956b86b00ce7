package dev.agentgateway.mcp.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A legacy HTTP+SSE MCP server (2024-11-05 wire format): {@code GET /sse} opens the stream and announces
 * {@code /message?sessionId=…}; POSTed messages get 202 and their answers arrive on the stream. The tool
 * {@code drop} kills the stream (and so the session) while the call is in flight.
 */
public final class FakeSseServer implements FakeHandler {
    private static final String DROP = "drop";
    private final Map<String, BlockingQueue<String>> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger streams = new AtomicInteger();

    /** Event streams opened so far (one per upstream session). */
    public int streamsOpened() {
        return streams.get();
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        if (request.method().equals("GET")) {
            stream(response);
            return;
        }
        String session = request.query() == null ? "" : request.query().replace("sessionId=", "");
        BlockingQueue<String> queue = sessions.get(session);
        if (queue == null) {
            response.status(404);
            return;
        }
        JsonNode message = RawMcpClient.parse(request.bodyText());
        response.status(202);
        if (!message.has("id") || !message.has("method")) {
            return;
        }
        ObjectNode result = RawMcpClient.object();
        switch (message.path("method").asText()) {
            case "initialize" -> {
                result.put("protocolVersion", "2024-11-05");
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "legacy").put("version", "1");
            }
            case "tools/list" -> result.putArray("tools").addObject().put("name", "echo").putObject("inputSchema").put("type", "object");
            case "tools/call" -> {
                if (message.path("params").path("name").asText().equals(DROP)) {
                    queue.add(DROP);
                    return;
                }
                result.putArray("content").addObject().put("type", "text").put("text", "echo from " + session.substring(0, 8));
            }
            default -> {
            }
        }
        ObjectNode answer = RawMcpClient.object().put("jsonrpc", "2.0");
        answer.set("id", message.get("id"));
        answer.set("result", result);
        queue.add(answer.toString());
    }

    private void stream(FakeResponse response) throws Exception {
        String session = UUID.randomUUID().toString();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        sessions.put(session, queue);
        streams.incrementAndGet();
        response.status(200).header("Content-Type", "text/event-stream");
        response.write("event: endpoint\ndata: /message?sessionId=" + session + "\n\n");
        try {
            while (true) {
                String next = queue.poll(30, TimeUnit.SECONDS);
                if (next == null) {
                    continue;
                }
                if (next.equals(DROP)) {
                    response.abortConnection();
                    return;
                }
                response.write("event: message\ndata: " + next + "\n\n");
            }
        } finally {
            sessions.remove(session);
        }
    }
}
