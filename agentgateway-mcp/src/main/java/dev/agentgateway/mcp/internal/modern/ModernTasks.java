package dev.agentgateway.mcp.internal.modern;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.Caller;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ModernMeta;
import dev.agentgateway.mcp.internal.TaskFields;
import dev.agentgateway.mcp.internal.downstream.RequestRouter;
import dev.agentgateway.mcp.internal.downstream.Visibility;

/**
 * The 2026 tasks extension ({@code io.modelcontextprotocol/tasks}, SEP-2663) served to modern clients
 * over legacy targets' tasks (2025-11-25). A client that declares the extension and calls a tool its
 * target runs as a task ({@code execution.taskSupport} optional or required) gets a flat
 * {@code CreateTaskResult} ({@code resultType: "task"}); {@code tasks/get} answers the task with its
 * input requests while it waits for input and its result (or error) inlined once it ends;
 * {@code tasks/update} answers input requests; {@code tasks/cancel} acknowledges with an empty result,
 * for a finished task too. A task is the creating caller's only: anyone else gets {@code -32602}, as
 * for a task that does not exist. Without the extension, the task methods are {@code -32021} and a tool
 * that requires a task is refused with {@code -32021}. Tasks live in the gateway's memory for their
 * TTL (an hour when the target gives none); a retry on another replica does not find them. A modern
 * target that offers the extension itself keeps its tasks: the gateway only remembers whose they are and
 * routes their requests to it.
 */
final class ModernTasks implements AutoCloseable {
    static final Set<String> METHODS = Set.of("tasks/get", "tasks/update", "tasks/cancel");
    private static final long UNLIMITED_TTL_MILLIS = Duration.ofHours(1).toMillis();
    /** How long tasks/get waits for a terminal task's result to arrive on the gateway's tasks/result stream. */
    private static final long OUTCOME_WAIT_MILLIS = 10_000;

    private final McpContext context;
    private final RequestRouter router;
    private final Map<String, BridgedTask> tasks = new ConcurrentHashMap<>();
    /** A modern target's own tasks: the gateway routes their requests to it and remembers only who may. */
    private final Map<String, ForwardedTask> forwarded = new ConcurrentHashMap<>();
    private final AtomicLong counter = new AtomicLong();

    /** A task a modern target created for a call of {@code owner}'s: requests about it go to that target as they are. */
    private record ForwardedTask(StatelessContext owner, String principal, String taskId) {
    }

    ModernTasks(McpContext context, RequestRouter router) {
        this.context = context;
        this.router = router;
    }

    /** Whether the request declared the tasks extension in its client capabilities. */
    static boolean declared(ModernRequest request) {
        return request.capabilities().path("extensions").has(ModernMeta.TASKS_EXTENSION);
    }

    /** The {@code -32021} refusal for a client without the extension, naming it as the spec's example does. */
    ObjectNode missingExtension(JsonNode id, String what) {
        ObjectNode data = context.json().object();
        data.putObject("requiredCapabilities").putObject("extensions").putObject(ModernMeta.TASKS_EXTENSION);
        return JsonRpc.error(id, ModernMeta.MISSING_CLIENT_CAPABILITY,
                "Missing required client capability: " + what + " needs the " + ModernMeta.TASKS_EXTENSION + " extension", data);
    }

    /**
     * Adds the extension to what {@code server/discover} offers when a legacy target runs tool calls as
     * tasks ({@code legacyTasks}: the merged legacy capability, or {@code null}) or a modern target offers
     * the extension itself.
     */
    static void advertise(ObjectNode capabilities, JsonNode legacyTasks, StatelessContext owner) {
        boolean offered = legacyTasks != null && legacyTasks.path("requests").path("tools").has("call");
        for (dev.agentgateway.mcp.internal.upstream.UpstreamSession upstream : owner.session().startedUpstreams().values()) {
            ObjectNode result = upstream.initializeResult();
            offered |= upstream.modern() && result != null && result.path("capabilities").path("extensions").has(ModernMeta.TASKS_EXTENSION);
        }
        if (offered) {
            ObjectNode extensions = capabilities.get("extensions") instanceof ObjectNode e ? e : capabilities.putObject("extensions");
            extensions.putObject(ModernMeta.TASKS_EXTENSION);
        }
    }

    /** A modern target's flat {@code CreateTaskResult} (its id already in the client's form): its requests will be routed to it. */
    void forwarded(StatelessContext owner, String principal, ObjectNode result) {
        ForwardedTask task = new ForwardedTask(owner, principal, result.path("taskId").asText());
        String key = key(principal, task.taskId());
        forwarded.put(key, task);
        long ttl = result.path("ttlMs").canConvertToLong() ? result.path("ttlMs").asLong() : UNLIMITED_TTL_MILLIS;
        context.scheduler().schedule(() -> forwarded.remove(key, task), Math.max(ttl, 1_000), TimeUnit.MILLISECONDS);
    }

    /**
     * A legacy {@code CreateTaskResult} ({@code result.task}) a call of {@code owner} got: the task is
     * registered, the gateway starts waiting for its end, and the client gets the flat form.
     */
    ObjectNode created(StatelessContext owner, String principal, ObjectNode result) {
        ObjectNode task = (ObjectNode) result.get("task");
        String taskId = task.path("taskId").asText();
        BridgedTask bridged = new BridgedTask(context, owner, principal, taskId, "agw-task-" + Long.toString(counter.incrementAndGet(), 36));
        tasks.put(key(principal, taskId), bridged);
        long ttl = task.path("ttl").canConvertToLong() ? task.path("ttl").asLong() : UNLIMITED_TTL_MILLIS;
        bridged.expiry = context.scheduler().schedule(() -> expire(bridged), Math.max(ttl, 1_000), TimeUnit.MILLISECONDS);
        owner.session().enter(); // a live task keeps its gateway-held session (and so the target's task) alive
        context.executor().execute(() -> awaitEnd(bridged));
        ObjectNode flat = TaskFields.toModern(task);
        flat.put("resultType", "task");
        if (result.get("_meta") instanceof ObjectNode meta) {
            flat.set("_meta", meta.deepCopy());
            TaskFields.dropRelatedTask(flat);
        }
        return flat;
    }

    private void awaitEnd(BridgedTask task) {
        ObjectNode params = context.json().object().put("taskId", task.taskId);
        try {
            task.finish(router.handle(task.owner.session(), JsonRpc.request(TextNode.valueOf(task.resultCallId), "tasks/result", params),
                    task, task.owner.session().caller(), Visibility.ALL));
        } catch (RuntimeException e) {
            task.finish(JsonRpc.error(TextNode.valueOf(task.resultCallId), JsonRpc.INTERNAL_ERROR, String.valueOf(e.getMessage())));
        } finally {
            task.owner.session().exit();
        }
    }

    private void expire(BridgedTask task) {
        tasks.remove(key(task.principal, task.taskId), task);
        if (!task.isFinished()) {
            // the gateway stops waiting: the target is told, as a client that cancels a request would tell it
            ObjectNode cancel = JsonRpc.notification("notifications/cancelled",
                    context.json().object().put("requestId", task.resultCallId).put("reason", "the task's TTL passed"));
            task.owner.session().fromClientNotification(cancel, task.owner.session().caller());
        }
    }

    /** Serves {@code tasks/get}, {@code tasks/update} or {@code tasks/cancel}; the answer has the client's id. */
    ObjectNode handle(ModernRequest request, String principal, Caller caller) {
        JsonNode id = request.id();
        ObjectNode params = request.params();
        String taskId = params == null ? null : params.path("taskId").asText(null);
        if (taskId == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, request.method() + " needs a taskId");
        }
        ForwardedTask own = forwarded.get(key(principal, taskId));
        if (own != null && !own.owner().session().isClosed()) {
            // the target serves its tasks itself: the request goes to it as the client sent it, under its own task id
            ObjectNode answer = router.handle(own.owner().session(),
                    ModernFace.forwardable(request, "agw-t" + Long.toString(counter.incrementAndGet(), 36)), new RoundStream(), caller, Visibility.ALL);
            answer.set("id", id);
            return answer;
        }
        BridgedTask task = tasks.get(key(principal, taskId));
        if (task == null || task.owner.session().isClosed()) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown task: " + taskId);
        }
        return switch (request.method()) {
            case "tasks/get" -> get(task, id, caller);
            case "tasks/update" -> update(task, id, params);
            default -> cancel(task, id, caller);
        };
    }

    private ObjectNode get(BridgedTask task, JsonNode id, Caller caller) {
        ObjectNode response = legacy(task, id, "tasks/get", caller);
        if (!(response.get("result") instanceof ObjectNode legacyTask)) {
            return response;
        }
        ObjectNode detailed = TaskFields.toModern(legacyTask);
        String status = legacyTask.path("status").asText();
        Map<String, ObjectNode> pending = task.pending();
        if (!TaskFields.ended(status)) {
            // input the gateway holds is what the client can answer; a target's input_required whose request
            // has not reached the gateway yet is still work in progress for the client
            detailed.put("status", pending.isEmpty() ? "working" : "input_required");
            if (!pending.isEmpty()) {
                pending.forEach(detailed.putObject("inputRequests")::set);
            }
            return JsonRpc.result(id, detailed);
        }
        if (!"cancelled".equals(status)) {
            inlineOutcome(task, detailed, status);
        }
        return JsonRpc.result(id, detailed);
    }

    /** A completed task's result, or a failed one's error, as the gateway's tasks/result got it. */
    private void inlineOutcome(BridgedTask task, ObjectNode detailed, String status) {
        ObjectNode outcome;
        try {
            outcome = task.outcome.get(OUTCOME_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            outcome = JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "The task's result did not arrive from the target");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = JsonRpc.error(null, JsonRpc.INTERNAL_ERROR, "Interrupted while waiting for the task's result");
        }
        if ("completed".equals(status) && outcome.get("result") instanceof ObjectNode result) {
            ObjectNode inlined = result.deepCopy();
            TaskFields.dropRelatedTask(inlined); // the task id is at the root already (SEP-2663)
            detailed.set("result", inlined);
            return;
        }
        detailed.put("status", "failed");
        if (outcome.get("error") instanceof ObjectNode error) {
            detailed.set("error", error.deepCopy());
        } else {
            ObjectNode error = detailed.putObject("error");
            error.put("code", JsonRpc.INTERNAL_ERROR);
            error.put("message", detailed.path("statusMessage").asText("The task failed"));
        }
    }

    private ObjectNode update(BridgedTask task, JsonNode id, ObjectNode params) {
        if (!(params.get("inputResponses") instanceof ObjectNode responses)) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "tasks/update needs inputResponses (an object)");
        }
        task.answer(responses);
        return ack(id);
    }

    private ObjectNode cancel(BridgedTask task, JsonNode id, Caller caller) {
        ObjectNode response = legacy(task, id, "tasks/cancel", caller);
        // the task exists (the gateway holds it), so the target's -32602 says it has ended: cancelling is idempotent
        if (JsonRpc.isError(response) && response.path("error").path("code").asInt() != JsonRpc.INVALID_PARAMS) {
            return response;
        }
        return ack(id);
    }

    private ObjectNode legacy(BridgedTask task, JsonNode id, String method, Caller caller) {
        ObjectNode request = JsonRpc.request(id, method, context.json().object().put("taskId", task.taskId));
        return router.handle(task.owner.session(), request, new RoundStream(), caller, Visibility.ALL);
    }

    private ObjectNode ack(JsonNode id) {
        ObjectNode result = context.json().object();
        result.put("resultType", "complete");
        return JsonRpc.result(id, result);
    }

    private static String key(String principal, String taskId) {
        return (principal == null ? "" : principal) + "\n" + taskId;
    }

    @Override
    public void close() {
        for (BridgedTask task : tasks.values()) {
            if (task.expiry != null) {
                task.expiry.cancel(false);
            }
        }
        tasks.clear();
        forwarded.clear();
    }
}
