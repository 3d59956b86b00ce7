package dev.agentgateway.a2a.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.agentgateway.a2a.A2aCall.Binding;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;

/**
 * Task ownership: a task sent through the gateway by an authenticated caller is answered, to anyone
 * else, as the agent answers a task that does not exist ({@code TaskNotFoundError}, -32001), without
 * asking the agent, unless the authorizer allows the {@code Task} operation (for example to admins).
 */
final class TaskAccess {
    static final int TASK_NOT_FOUND = -32001;

    private final TaskOwners owners;

    TaskAccess(TaskOwners owners) {
        this.owners = owners;
    }

    /** Whether any task has an owner: only then can a task list hold something to leave out. */
    boolean anyOwned() {
        return owners.size() > 0;
    }

    /** Records the caller of a send as the owner of the tasks its answer names. */
    void watch(Exchange exchange, CallState state) {
        Principal principal = exchange.principal();
        if (principal != null && state.observer != null && creates(state.method)) {
            state.observer.onTaskId(taskId -> owners.claim(taskId, principal));
        }
    }

    /** The not-found answer when the call names a task of someone else, else {@code null}. */
    Response refusal(Exchange exchange, CallState state) {
        String taskId = state.call.taskId();
        Binding binding = state.call.binding();
        if (taskId == null || !concernsTask(state.method) || (binding != Binding.JSONRPC && binding != Binding.REST)) {
            return null;
        }
        if (!hidden(exchange, state, taskId)) {
            return null;
        }
        if (binding == Binding.JSONRPC) {
            state.answeredByGateway("error", Integer.toString(TASK_NOT_FOUND));
            return JsonRpcErrors.jsonRpc(200, state.idJson, TASK_NOT_FOUND, "Task not found");
        }
        state.answeredByGateway("error", "404");
        return JsonRpcErrors.rest(404, "NOT_FOUND", "Task not found");
    }

    /**
     * Leaves out of a {@code ListTasks} answer ({@code {"tasks": [...]}}) the tasks hidden from the caller.
     *
     * @return whether anything was removed
     */
    boolean filterList(Exchange exchange, CallState state, JsonNode answer) {
        if (!(answer != null && answer.get("tasks") instanceof ArrayNode list)) {
            return false;
        }
        boolean changed = false;
        for (Iterator<JsonNode> it = list.elements(); it.hasNext(); ) {
            String id = it.next().path("id").asText(null);
            if (id != null && hidden(exchange, state, id)) {
                it.remove();
                changed = true;
            }
        }
        return changed;
    }

    /** Whether {@code taskId} belongs to someone else and the authorizer does not let the caller at it. */
    private boolean hidden(Exchange exchange, CallState state, String taskId) {
        TaskOwners.Owner owner = owners.owner(taskId);
        if (owner == null || owner.key().equals(TaskOwners.key(exchange.principal()))) {
            return false;
        }
        Authorizer authorizer = exchange.attribute(Authorizer.KEY);
        return authorizer == null || !authorizer.allows(exchange, new Operation("a2a", state.method.action(), "Task", taskId,
                Map.of("agent", state.call.agent(), "owner", owner.subject(), "method", state.call.method())));
    }

    private static boolean creates(A2aMethod method) {
        return method == A2aMethod.SEND_MESSAGE || method == A2aMethod.SEND_STREAMING_MESSAGE;
    }

    /** Methods about one task (a send naming a task continues it). */
    private static boolean concernsTask(A2aMethod method) {
        return switch (method) {
            case SEND_MESSAGE, SEND_STREAMING_MESSAGE, GET_TASK, CANCEL_TASK, SUBSCRIBE_TO_TASK, CREATE_PUSH_CONFIG,
                 GET_PUSH_CONFIG, LIST_PUSH_CONFIGS, DELETE_PUSH_CONFIG -> true;
            default -> false;
        };
    }
}
