package dev.agentgateway.mcp.internal.modern;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ModernMeta;
import dev.agentgateway.mcp.internal.downstream.DownstreamSession;
import dev.agentgateway.mcp.internal.downstream.MessageStream;

/**
 * A legacy target's task shown to a modern client as a task of the 2026 tasks extension. The gateway
 * holds the target's {@code tasks/result} open from the moment the task is created: the legacy era
 * delivers a task's requests for input (an elicitation while it is {@code input_required}) on that
 * stream, and answers the result there when the task ends. The requests wait here until the client
 * reads them from {@code tasks/get} ({@code inputRequests}) and answers them with {@code tasks/update};
 * the outcome is what {@code tasks/get} inlines once the task is terminal.
 */
final class BridgedTask implements MessageStream {
    private final McpContext context;
    final StatelessContext owner;
    /** The {@link dev.agentgateway.mcp.internal.downstream.SessionOwner} fingerprint of the caller that created it. */
    final String principal;
    /** The task id as the client knows it (and as the gateway's federation names it). */
    final String taskId;
    /** The request id the gateway's {@code tasks/result} was sent under (to cancel it). */
    final String resultCallId;
    /** The target's answer to {@code tasks/result}: the task's result, or the error it ended with. */
    final CompletableFuture<ObjectNode> outcome = new CompletableFuture<>();
    /** Requests for input not answered yet, by the id the session forwarded them under. */
    private final Map<String, ObjectNode> pending = new LinkedHashMap<>();
    volatile ScheduledFuture<?> expiry;

    BridgedTask(McpContext context, StatelessContext owner, String principal, String taskId, String resultCallId) {
        this.context = context;
        this.owner = owner;
        this.principal = principal;
        this.taskId = taskId;
        this.resultCallId = resultCallId;
    }

    /** A message the target sent on the {@code tasks/result} stream: requests for input are kept for the client. */
    @Override
    public void send(ObjectNode message) {
        if (!message.has("id") || !message.has("method")) {
            return; // notifications about the task: its state is read with tasks/get
        }
        DownstreamSession session = owner.session();
        String method = message.path("method").asText();
        if ("ping".equals(method)) {
            session.fromClientResponse(JsonRpc.result(message.get("id"), context.json().object()), session.caller());
        } else if (ModernMeta.INPUT_REQUESTS.contains(method)) {
            ObjectNode input = context.json().object();
            input.put("method", method);
            input.set("params", message.has("params") ? message.get("params") : context.json().object());
            synchronized (pending) {
                pending.put(message.get("id").asText(), input);
            }
        } else {
            session.fromClientResponse(JsonRpc.error(message.get("id"), JsonRpc.METHOD_NOT_FOUND,
                    "A task's client cannot be asked " + method), session.caller());
        }
    }

    @Override
    public void finish(ObjectNode response) {
        outcome.complete(response);
    }

    @Override
    public boolean isFinished() {
        return outcome.isDone();
    }

    /** The requests for input still open, keyed as the client answers them. */
    Map<String, ObjectNode> pending() {
        synchronized (pending) {
            return new LinkedHashMap<>(pending);
        }
    }

    /** Hands the client's answers to the requests they name; answers to requests not open are ignored. */
    void answer(ObjectNode responses) {
        DownstreamSession session = owner.session();
        responses.properties().forEach(entry -> {
            boolean open;
            synchronized (pending) {
                open = entry.getValue() instanceof ObjectNode && pending.remove(entry.getKey()) != null;
            }
            if (open) {
                session.fromClientResponse(JsonRpc.result(TextNode.valueOf(entry.getKey()), entry.getValue()), session.caller());
            }
        });
    }
}
