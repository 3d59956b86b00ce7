package dev.agentgateway.mcp.internal;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Tasks in either era. A task's fields: 2025-11-25 says {@code ttl} and {@code pollInterval}, the 2026
 * tasks extension {@code ttlMs} and {@code pollIntervalMs} (both milliseconds); the rest is the same.
 */
public final class TaskFields {
    /** The {@code _meta} key that ties a message to a task (2025-11-25). */
    public static final String RELATED_TASK = "io.modelcontextprotocol/related-task";
    private static final Set<String> TERMINAL = Set.of("completed", "failed", "cancelled");

    private TaskFields() {
    }

    /** Whether a task with this status has ended. */
    public static boolean ended(String status) {
        return TERMINAL.contains(status);
    }

    /** Whether a call's result is the 2026 extension's flat {@code CreateTaskResult}. */
    public static boolean isFlat(JsonNode result) {
        return "task".equals(result.path("resultType").asText()) && result.path("taskId").isTextual();
    }

    /** Removes the {@code related-task} key from {@code holder}'s {@code _meta}, and the {@code _meta} it leaves empty. */
    public static void dropRelatedTask(ObjectNode holder) {
        if (holder.get("_meta") instanceof ObjectNode meta) {
            meta.remove(RELATED_TASK);
            if (meta.isEmpty()) {
                holder.remove("_meta");
            }
        }
    }

    /** The task fields of a legacy Task in the extension's names. */
    public static ObjectNode toModern(JsonNode legacy) {
        return copy(legacy, "ttl", "pollInterval", "ttlMs", "pollIntervalMs");
    }

    /** The task fields of the extension's task as a legacy Task. */
    public static ObjectNode toLegacy(JsonNode modern) {
        return copy(modern, "ttlMs", "pollIntervalMs", "ttl", "pollInterval");
    }

    private static ObjectNode copy(JsonNode from, String ttlFrom, String pollFrom, String ttlTo, String pollTo) {
        ObjectNode task = JsonNodeFactory.instance.objectNode();
        task.set("taskId", from.path("taskId"));
        task.set("status", from.path("status"));
        if (from.get("statusMessage") instanceof TextNode message) {
            task.set("statusMessage", message);
        }
        task.set("createdAt", from.path("createdAt"));
        task.set("lastUpdatedAt", from.path("lastUpdatedAt"));
        if (from.path(ttlFrom).canConvertToLong()) {
            task.put(ttlTo, from.path(ttlFrom).asLong());
        } else {
            task.putNull(ttlTo); // no limit
        }
        if (from.path(pollFrom).canConvertToLong() && from.path(pollFrom).asLong() > 0) {
            task.put(pollTo, from.path(pollFrom).asLong());
        }
        return task;
    }
}
