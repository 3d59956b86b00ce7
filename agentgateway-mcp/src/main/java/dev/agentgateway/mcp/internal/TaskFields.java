package dev.agentgateway.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A task's fields in either era: 2025-11-25 says {@code ttl} and {@code pollInterval}, the 2026 tasks
 * extension {@code ttlMs} and {@code pollIntervalMs} (both milliseconds); the rest is the same.
 */
public final class TaskFields {
    private TaskFields() {
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
