package dev.agentgateway.mcp.internal.downstream;

import dev.agentgateway.core.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.FailureMode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.Naming;
import dev.agentgateway.mcp.internal.TaskFields;
import dev.agentgateway.mcp.internal.upstream.UpstreamException;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 2025-11-25 task methods. {@code tasks/get}, {@code tasks/result} and {@code tasks/cancel} go to
 * the target that created the task ({@link TaskIds}), with its own id ({@code tasks/update} of the 2026
 * extension too, for modern targets that offer it); {@code tasks/result} streams
 * whatever the target sends meanwhile (an elicitation of an {@code input_required} task, say) on the
 * client's stream of that request. {@code tasks/list} asks every target that declares
 * {@code tasks.list} (a modern target's bridged tasks are listed by {@link LegacyTaskBridge}) and merges
 * the pages as the other lists do. A task id no target gave is
 * {@code -32602}, as the spec says for an unknown task.
 */
final class Tasks {
    private static final Logger LOG = LoggerFactory.getLogger(Tasks.class);
    static final Set<String> METHODS = Set.of("tasks/get", "tasks/result", "tasks/cancel", "tasks/list", "tasks/update");

    private final McpContext context;
    private final TaskIds ids;
    private final PageCursors cursors;
    private final RequestRouter router;
    private final LegacyTaskBridge bridge;

    Tasks(McpContext context, RequestRouter router) {
        this.context = context;
        this.ids = new TaskIds(context.naming());
        this.cursors = new PageCursors(context);
        this.router = router;
        this.bridge = new LegacyTaskBridge(context);
    }

    /** Whether a legacy client's task requests to {@code target} go through the extension bridge: the target is modern. */
    boolean bridged(DownstreamSession session, String target) {
        if (session.stateless()) {
            return false; // modern clients speak the extension themselves
        }
        UpstreamSession upstream = session.startedUpstreams().get(target);
        return upstream != null && upstream.modern();
    }

    /** The bridge a legacy client's tasks on modern targets go through. */
    LegacyTaskBridge bridge() {
        return bridge;
    }

    ObjectNode handle(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        return request.path("method").asText().equals("tasks/list")
                ? list(session, request, stream, caller) : one(session, request, stream, caller);
    }

    /** Where a task request goes, for metrics and logs: the owner when the id names it. */
    String targetOf(ObjectNode request) {
        if (request.path("method").asText().equals("tasks/list")) {
            return "*";
        }
        Naming.Owned owned = context.naming().needsLookup() ? null
                : context.naming().resolveUri(request.path("params").path("taskId").asText(null));
        return owned == null ? "*" : owned.target();
    }

    /**
     * A {@code CreateTaskResult} from {@code target}: the task id as the client sees it. Legacy ones nest
     * the task ({@code result.task}); the 2026 extension's are flat ({@code resultType: "task"}).
     */
    void created(DownstreamSession session, String target, JsonNode result) {
        ids.outwardField(session, target, result.has("task") ? result.path("task") : result);
        ids.outwardMeta(session, target, result);
    }

    /** Whether a call's result created a task: a legacy {@code CreateTaskResult} or the extension's flat one. */
    static boolean createsTask(JsonNode result) {
        return result.get("task") instanceof ObjectNode || TaskFields.isFlat(result);
    }

    private ObjectNode one(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        JsonNode id = request.get("id");
        String method = request.path("method").asText();
        ObjectNode params = JsonRpc.params(request);
        String taskId = params == null ? null : params.path("taskId").asText(null);
        if (taskId == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, method + " needs a taskId");
        }
        Naming.Owned owned = ids.inward(session, taskId);
        if (owned == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown task: " + taskId);
        }
        ObjectNode upstreamRequest = request.deepCopy();
        ((ObjectNode) upstreamRequest.get("params")).put("taskId", owned.name());
        ObjectNode response = bridged(session, owned.target())
                ? bridge.handle(session, owned.target(), upstreamRequest, taskId, stream, caller)
                : session.forward(owned.target(), upstreamRequest, stream, caller);
        if (!JsonRpc.isError(response) && response.get("result") instanceof ObjectNode result) {
            if (method.equals("tasks/result")) {
                // the result of the request that created the task: a tool's result names URIs as a call's does
                router.prefixContentUris(owned.target(), result.path("content"));
            } else {
                ids.outwardField(session, owned.target(), result);
            }
            ids.outwardMeta(session, owned.target(), result);
        }
        return response;
    }

    private ObjectNode list(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        JsonNode id = request.get("id");
        ObjectNode params = JsonRpc.params(request);
        Map<String, String> pages = cursors.of("tasks/list", params == null ? null : params.get("cursor"), listing(session));
        if (pages == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid cursor");
        }
        Map<String, CompletableFuture<ObjectNode>> answers = new LinkedHashMap<>();
        pages.forEach((target, cursor) -> {
            ObjectNode upstreamRequest = JsonRpc.request(id, "tasks/list", null);
            if (cursor != null) {
                upstreamRequest.putObject("params").put("cursor", cursor);
            }
            answers.put(target, CompletableFuture.supplyAsync(() -> bridged(session, target)
                    ? bridge.list(session, target, id, cursor, caller)
                    : session.forward(target, upstreamRequest, stream, caller), context.executor()));
        });
        ObjectNode merged = context.json().object();
        ArrayNode tasks = merged.putArray("tasks");
        Map<String, String> next = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<ObjectNode>> answer : answers.entrySet()) {
            String target = answer.getKey();
            ObjectNode response = answer.getValue().join();
            if (JsonRpc.isError(response) || !(response.get("result") instanceof ObjectNode result)) {
                failures.put(target, response.path("error").path("message").asText("answered without a result object"));
                continue;
            }
            for (JsonNode task : result.path("tasks")) {
                ObjectNode copy = task.deepCopy();
                ids.outwardField(session, target, copy);
                tasks.add(copy);
            }
            if (result.get("nextCursor") instanceof JsonNode cursor && cursor.isTextual() && !cursor.asText().isEmpty()) {
                next.put(target, cursor.asText());
            }
        }
        if (!failures.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            failures.forEach((target, reason) -> {
                context.metrics().upstreamFailure(target, "list");
                reasons.add("target '" + target + "': " + reason);
            });
            if (context.settings().failureMode() == FailureMode.FAIL_CLOSED || failures.size() == answers.size()) {
                return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "tasks/list failed: " + String.join("; ", reasons));
            }
            LOG.warn("tasks/list: skipping failed targets (failOpen): {}", failures);
        }
        if (!next.isEmpty()) {
            merged.put("nextCursor", cursors.seal("tasks/list", next));
        }
        return JsonRpc.result(id, merged);
    }

    /**
     * The targets whose session declares {@code tasks.list}, and the modern ones this legacy session
     * created tasks on through the bridge: the others have no tasks to list.
     */
    private List<String> listing(DownstreamSession session) {
        List<String> targets = new ArrayList<>();
        for (String target : context.targets().keySet()) {
            try {
                UpstreamSession upstream = session.upstream(target);
                if (bridged(session, target)) {
                    if (session.bridgedTasks().any(target)) {
                        targets.add(target);
                    }
                } else if (upstream.initializeResult() != null
                        && upstream.initializeResult().path("capabilities").path("tasks").has("list")) {
                    targets.add(target);
                }
            } catch (UpstreamException e) {
                targets.add(target); // asked anyway: its failure is reported as any list's is
            }
        }
        return targets;
    }
}
