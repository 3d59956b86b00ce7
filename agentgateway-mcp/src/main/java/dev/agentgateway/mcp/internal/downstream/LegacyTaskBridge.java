package dev.agentgateway.mcp.internal.downstream;

import dev.agentgateway.core.Caller;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ModernMeta;
import dev.agentgateway.mcp.internal.TaskFields;

/**
 * A legacy client's tasks (2025-11-25) on a modern target that offers the 2026 tasks extension. The
 * gateway declares the extension for the client's task-augmented call and turns the flat
 * {@code CreateTaskResult} into the legacy nested one; {@code tasks/get} answers the legacy task;
 * {@code tasks/cancel} cancels, then answers the task; {@code tasks/result}, which the extension does
 * not have, polls {@code tasks/get} until the task ends and answers its result (or its error). While
 * the task waits for input, each of its input requests is asked of the client on the
 * {@code tasks/result} stream (the legacy era's way), and the answer goes to the target with
 * {@code tasks/update}; a client that cancels its {@code tasks/result} stops the polling (not the
 * task). The extension has no {@code tasks/list}: the session's bridged tasks are remembered
 * ({@link BridgedTaskIds}) and listed as {@code tasks/get} answers them. Requests carry the target's own
 * task id here; {@link Tasks} names them for the client.
 */
final class LegacyTaskBridge {
    private static final long MIN_POLL_MILLIS = 100;
    private static final long MAX_POLL_MILLIS = 5_000;
    /** Tasks per {@code tasks/list} page: each is one {@code tasks/get} of the target. */
    static final int PAGE_SIZE = 100;

    private final McpContext context;

    LegacyTaskBridge(McpContext context) {
        this.context = context;
    }

    /** Marks a request to a modern target so that it declares the tasks extension (see {@link ModernMeta#DECLARE_TASKS}). */
    static void declareTasks(ObjectNode request) {
        ObjectNode params = request.get("params") instanceof ObjectNode p ? p : request.putObject("params");
        ObjectNode meta = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
        meta.put(ModernMeta.DECLARE_TASKS, true);
    }

    /**
     * The legacy {@code CreateTaskResult} for a flat one from {@code target}: the task nested, durations
     * as {@code ttl} and {@code pollInterval}. The task is remembered for {@code tasks/list}.
     */
    ObjectNode nest(DownstreamSession session, String target, ObjectNode flat) {
        if (flat.get("taskId") instanceof TextNode taskId) {
            session.bridgedTasks().add(target, taskId.asText());
        }
        ObjectNode result = context.json().object();
        result.set("task", TaskFields.toLegacy(flat));
        if (flat.get("_meta") instanceof ObjectNode meta) {
            result.set("_meta", meta);
        }
        return result;
    }

    /** {@code tasks/get}, {@code tasks/cancel} or {@code tasks/result} of {@code target}'s task, in legacy shape. */
    ObjectNode handle(DownstreamSession session, String target, ObjectNode request, String clientTaskId, MessageStream stream,
                      Caller caller) {
        String method = request.path("method").asText();
        return switch (method) {
            case "tasks/cancel" -> {
                ObjectNode cancelled = forward(session, target, request, caller);
                yield JsonRpc.isError(cancelled) ? cancelled : get(session, target, request, caller);
            }
            case "tasks/result" -> result(session, target, request, clientTaskId, stream, caller);
            default -> get(session, target, request, caller);
        };
    }

    private ObjectNode get(DownstreamSession session, String target, ObjectNode request, Caller caller) {
        ObjectNode response = detailed(session, target, request, caller);
        if (response.get("result") instanceof ObjectNode detailed) {
            response.set("result", TaskFields.toLegacy(detailed));
        }
        return response;
    }

    /**
     * One page of {@code target}'s tasks this session created, each as {@code tasks/get} answers it now
     * (in legacy shape); tasks the target no longer knows (their TTL passed) are dropped and forgotten.
     * {@code cursor} is the sequence of the previous page's last task.
     */
    ObjectNode list(DownstreamSession session, String target, JsonNode id, String cursor, Caller caller) {
        long after;
        try {
            after = cursor == null ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid cursor");
        }
        List<BridgedTaskIds.Known> page = session.bridgedTasks().page(target, after, PAGE_SIZE);
        List<CompletableFuture<ObjectNode>> answers = new ArrayList<>();
        for (BridgedTaskIds.Known task : page.subList(0, Math.min(PAGE_SIZE, page.size()))) {
            ObjectNode get = JsonRpc.request(id, "tasks/get", context.json().object().put("taskId", task.taskId()));
            answers.add(CompletableFuture.supplyAsync(() -> forward(session, target, get, caller), context.executor()));
        }
        ObjectNode result = context.json().object();
        ArrayNode tasks = result.putArray("tasks");
        for (int i = 0; i < answers.size(); i++) {
            ObjectNode answer = answers.get(i).join();
            if (answer.get("result") instanceof ObjectNode detailed) {
                tasks.add(TaskFields.toLegacy(detailed));
            } else if (answer.path("error").path("code").asInt() == JsonRpc.INVALID_PARAMS) {
                session.bridgedTasks().forget(target, page.get(i).taskId()); // the target says it is unknown: gone
            } else {
                return answer; // the target failed: reported as any list's failure is
            }
        }
        if (page.size() > PAGE_SIZE) {
            result.put("nextCursor", Long.toString(page.get(PAGE_SIZE - 1).sequence()));
        }
        return JsonRpc.result(id, result);
    }

    private ObjectNode result(DownstreamSession session, String target, ObjectNode request, String clientTaskId, MessageStream stream,
                              Caller caller) {
        // the client may give up waiting (notifications/cancelled): polling stops; the task itself runs on
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        try (DownstreamSession.Registration registration = session.onCancelled(request.get("id"), () -> cancelled.complete(null))) {
            return poll(session, target, request, clientTaskId, stream, caller, cancelled);
        }
    }

    private ObjectNode poll(DownstreamSession session, String target, ObjectNode request, String clientTaskId, MessageStream stream,
                            Caller caller, CompletableFuture<Void> cancelled) {
        JsonNode id = request.get("id");
        String taskId = request.path("params").path("taskId").asText();
        Set<String> asked = new HashSet<>();
        while (!session.isClosed()) {
            if (cancelled.isDone()) {
                // answered as a cancelled upstream call is (UpstreamSession.cancel); the client has stopped waiting for it
                return JsonRpc.error(id, JsonRpc.REQUEST_TIMEOUT, "Request cancelled: tasks/result (the task goes on)");
            }
            ObjectNode response = detailed(session, target, request, caller);
            if (!(response.get("result") instanceof ObjectNode detailed)) {
                return response;
            }
            String status = detailed.path("status").asText();
            if (TaskFields.ended(status)) {
                return ended(id, taskId, status, detailed);
            }
            if (detailed.get("inputRequests") instanceof ObjectNode inputs) {
                inputs.properties().forEach(input -> {
                    if (asked.add(input.getKey()) && input.getValue() instanceof ObjectNode inputRequest) {
                        ask(session, target, taskId, clientTaskId, input.getKey(), inputRequest, stream, caller);
                    }
                });
            }
            long poll = detailed.path("pollIntervalMs").asLong(1_000);
            try {
                cancelled.get(Math.max(MIN_POLL_MILLIS, Math.min(MAX_POLL_MILLIS, poll)), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // time to poll again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
        }
        return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "The session ended before the task did");
    }

    /** What {@code tasks/result} answers for an ended task: its result, or a JSON-RPC error. */
    private ObjectNode ended(JsonNode id, String taskId, String status, ObjectNode detailed) {
        if ("completed".equals(status) && detailed.get("result") instanceof ObjectNode result) {
            ObjectNode answer = result.deepCopy();
            ObjectNode meta = answer.get("_meta") instanceof ObjectNode m ? m : answer.putObject("_meta");
            meta.putObject(TaskFields.RELATED_TASK).put("taskId", taskId);
            return JsonRpc.result(id, answer);
        }
        if (detailed.get("error") instanceof ObjectNode error && error.path("code").isInt()) {
            return JsonRpc.error(id, error.path("code").asInt(), error.path("message").asText("The task failed"), error.get("data"));
        }
        return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "The task " + status + (detailed.has("statusMessage")
                ? ": " + detailed.path("statusMessage").asText() : ""));
    }

    /** Asks the client one of the task's input requests; its answer goes to the target as {@code tasks/update}. */
    private void ask(DownstreamSession session, String target, String taskId, String clientTaskId, String key, ObjectNode input,
                     MessageStream stream, Caller caller) {
        ObjectNode params = input.get("params") instanceof ObjectNode p ? p.deepCopy() : context.json().object();
        ObjectNode meta = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
        meta.putObject(TaskFields.RELATED_TASK).put("taskId", clientTaskId);
        ObjectNode request = JsonRpc.request(TextNode.valueOf("unused"), input.path("method").asText(), params);
        session.askClient(request, stream).thenAcceptAsync(answer -> {
            if (!(answer.get("result") instanceof ObjectNode result)) {
                return; // the client refused: the task stays waiting until it is cancelled or its TTL passes
            }
            ObjectNode update = context.json().object().put("taskId", taskId);
            update.putObject("inputResponses").set(key, result);
            ObjectNode sent = JsonRpc.request(TextNode.valueOf("agw-task-update"), "tasks/update", update);
            forward(session, target, sent, caller);
        }, context.executor());
    }

    /** {@code tasks/get} of the task, in the extension's shape (DetailedTask). */
    private ObjectNode detailed(DownstreamSession session, String target, ObjectNode request, Caller caller) {
        ObjectNode get = JsonRpc.request(request.get("id"), "tasks/get",
                context.json().object().put("taskId", request.path("params").path("taskId").asText()));
        return forward(session, target, get, caller);
    }

    private ObjectNode forward(DownstreamSession session, String target, ObjectNode request, Caller caller) {
        ObjectNode marked = request.deepCopy();
        declareTasks(marked);
        return session.forward(target, marked, null, caller);
    }
}
