package dev.agentgateway.samples;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;
import dev.agentgateway.test.FakeUpstream;

/**
 * A tiny A2A v1.0 agent for the demo, written with our own code so that it runs offline: its card at
 * {@code /.well-known/agent-card.json}, JSON-RPC at {@code /rpc} with {@code SendMessage} (echoes the text),
 * {@code SendStreamingMessage} (the same as four server-sent events, 200 ms apart), {@code GetTask} and
 * {@code CancelTask}. Tasks are kept in memory.
 *
 * <pre>{@code
 * try (FakeUpstream agent = EchoAgent.start()) {
 *     Route echo = Route.builder("echo").pathPrefix("/agents/echo").backend(A2aBackend.of(agent.url())).build();
 * }
 * }</pre>
 */
public final class EchoAgent implements FakeHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, ObjectNode> tasks = new ConcurrentHashMap<>();

    /** Starts the agent on an ephemeral port of 127.0.0.1. */
    public static FakeUpstream start() {
        return FakeUpstream.of(new EchoAgent()).start();
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        String self = "http://" + request.header("Host");
        if (request.method().equals("GET") && request.path().equals("/.well-known/agent-card.json")) {
            json(response, 200, card(self));
            return;
        }
        if (!request.method().equals("POST") || !request.path().equals("/rpc")) {
            json(response, 404, JSON.createObjectNode().put("error", "not found"));
            return;
        }
        JsonNode call;
        try {
            call = JSON.readTree(request.body());
        } catch (Exception e) {
            json(response, 200, error(null, -32700, "Invalid JSON payload"));
            return;
        }
        JsonNode id = call.get("id");
        JsonNode params = call.path("params");
        switch (call.path("method").asText()) {
            case "SendMessage" -> json(response, 200, result(id, JSON.createObjectNode().set("task", complete(params))));
            case "SendStreamingMessage" -> stream(response, id, params);
            case "GetTask" -> {
                ObjectNode task = tasks.get(params.path("id").asText());
                json(response, 200, task == null ? error(id, -32001, "Task not found") : result(id, task));
            }
            case "CancelTask" -> json(response, 200, tasks.containsKey(params.path("id").asText())
                    ? error(id, -32002, "Task is already completed") : error(id, -32001, "Task not found"));
            default -> json(response, 200, error(id, -32601, "Method not found"));
        }
    }

    private ObjectNode complete(JsonNode params) {
        ObjectNode task = newTask(params, "TASK_STATE_COMPLETED");
        ObjectNode artifact = task.putArray("artifacts").addObject();
        artifact.put("artifactId", UUID.randomUUID().toString()).put("name", "echo");
        artifact.putArray("parts").addObject().put("text", "echo: " + text(params));
        tasks.put(task.get("id").asText(), task);
        return task;
    }

    private void stream(FakeResponse response, JsonNode id, JsonNode params) throws Exception {
        response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
        ObjectNode task = newTask(params, "TASK_STATE_SUBMITTED");
        String taskId = task.get("id").asText();
        String contextId = task.get("contextId").asText();
        event(response, id, JSON.createObjectNode().set("task", task.deepCopy()));
        Thread.sleep(200);
        event(response, id, JSON.createObjectNode().set("statusUpdate", status(taskId, contextId, "TASK_STATE_WORKING")));
        Thread.sleep(200);
        ObjectNode update = JSON.createObjectNode().put("taskId", taskId).put("contextId", contextId).put("lastChunk", true);
        ObjectNode artifact = update.putObject("artifact").put("artifactId", UUID.randomUUID().toString()).put("name", "echo");
        artifact.putArray("parts").addObject().put("text", "echo: " + text(params));
        event(response, id, JSON.createObjectNode().set("artifactUpdate", update));
        Thread.sleep(200);
        event(response, id, JSON.createObjectNode().set("statusUpdate", status(taskId, contextId, "TASK_STATE_COMPLETED")));
        task.set("status", status(taskId, contextId, "TASK_STATE_COMPLETED").get("status"));
        task.putArray("artifacts").add(artifact);
        tasks.put(taskId, task);
    }

    private static ObjectNode newTask(JsonNode params, String state) {
        ObjectNode task = JSON.createObjectNode();
        String contextId = params.path("message").path("contextId").asText("");
        task.put("id", UUID.randomUUID().toString()).put("contextId", contextId.isEmpty() ? UUID.randomUUID().toString() : contextId);
        task.putObject("status").put("state", state).put("timestamp", java.time.Instant.now().toString());
        return task;
    }

    private static ObjectNode status(String taskId, String contextId, String state) {
        ObjectNode update = JSON.createObjectNode().put("taskId", taskId).put("contextId", contextId);
        update.putObject("status").put("state", state).put("timestamp", java.time.Instant.now().toString());
        return update;
    }

    private static String text(JsonNode params) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : params.path("message").path("parts")) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static void event(FakeResponse response, JsonNode id, ObjectNode result) throws Exception {
        response.write("data: " + JSON.writeValueAsString(result(id, result)) + "\n\n");
    }

    private static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.set("result", result);
        return answer;
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode answer = JSON.createObjectNode().put("jsonrpc", "2.0");
        answer.set("id", id);
        answer.putObject("error").put("code", code).put("message", message);
        return answer;
    }

    private static ObjectNode card(String self) {
        ObjectNode card = JSON.createObjectNode().put("name", "Echo").put("description", "Echoes what it is told").put("version", "1.0.0");
        card.putArray("supportedInterfaces").addObject().put("url", self + "/rpc").put("protocolBinding", "JSONRPC")
                .put("protocolVersion", "1.0");
        card.putObject("capabilities").put("streaming", true).put("pushNotifications", false);
        card.putArray("defaultInputModes").add("text/plain");
        card.putArray("defaultOutputModes").add("text/plain");
        ObjectNode skill = card.putArray("skills").addObject().put("id", "echo").put("name", "Echo").put("description", "echoes text");
        skill.putArray("tags").add("demo");
        return card;
    }

    private static void json(FakeResponse response, int status, JsonNode body) throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.status(status).header("Content-Type", "application/json").header("Content-Length", Integer.toString(bytes.length))
                .write(bytes);
    }
}
