package dev.agentgateway.a2a.internal;

import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.agentgateway.a2a.internal.JsonFacts.Value;

/**
 * What one answer (a JSON-RPC response, a REST body, or one stream event) says: its kind, the task it is
 * about, the task state, and the error code when it is an error. Reads both generations: v0.3 results
 * carry a {@code kind}, v1.0 results are wrapped ({@code task}, {@code message}, {@code statusUpdate},
 * {@code artifactUpdate}) or, for GetTask and CancelTask, a bare Task.
 *
 * @param kind {@code task}, {@code message}, {@code status_update}, {@code artifact_update}, {@code error}, or {@code null}
 * @param errorCode the error's code, or {@code null}
 */
public record AnswerFacts(String kind, String taskId, String contextId, String state, String errorCode) {

    private static final JsonFacts JSON_RPC = new JsonFacts(paths("result."));
    private static final JsonFacts BARE = new JsonFacts(paths(""));

    private static Set<String> paths(String p) {
        Set<String> paths = new HashSet<>(Set.of("error", "error.code", "result"));
        for (String path : Set.of("kind", "id", "contextId", "taskId", "status", "status.state",
                "task", "task.id", "task.contextId", "task.status.state",
                "message", "message.taskId", "message.contextId",
                "statusUpdate", "statusUpdate.taskId", "statusUpdate.contextId", "statusUpdate.status.state",
                "artifactUpdate", "artifactUpdate.taskId", "artifactUpdate.contextId")) {
            paths.add(p + path);
        }
        return paths;
    }

    /** Reads an answer; {@code jsonRpc} says whether it is a JSON-RPC response (else a bare REST body). */
    public static AnswerFacts read(byte[] json, int offset, int length, boolean jsonRpc) throws IOException {
        Map<String, Value> facts = (jsonRpc ? JSON_RPC : BARE).read(json, offset, length);
        return of(facts, jsonRpc ? "result." : "");
    }

    private static AnswerFacts of(Map<String, Value> f, String p) {
        if (f.containsKey("error") && f.get("error").isObject()) {
            return new AnswerFacts("error", null, null, null, JsonFacts.text(f, "error.code"));
        }
        if (present(f, p + "task")) {
            return new AnswerFacts("task", JsonFacts.text(f, p + "task.id"), JsonFacts.text(f, p + "task.contextId"),
                    normalizeState(JsonFacts.text(f, p + "task.status.state")), null);
        }
        if (present(f, p + "message")) {
            return new AnswerFacts("message", JsonFacts.text(f, p + "message.taskId"),
                    JsonFacts.text(f, p + "message.contextId"), null, null);
        }
        if (present(f, p + "statusUpdate")) {
            return new AnswerFacts("status_update", JsonFacts.text(f, p + "statusUpdate.taskId"),
                    JsonFacts.text(f, p + "statusUpdate.contextId"),
                    normalizeState(JsonFacts.text(f, p + "statusUpdate.status.state")), null);
        }
        if (present(f, p + "artifactUpdate")) {
            return new AnswerFacts("artifact_update", JsonFacts.text(f, p + "artifactUpdate.taskId"),
                    JsonFacts.text(f, p + "artifactUpdate.contextId"), null, null);
        }
        String kind = JsonFacts.text(f, p + "kind");
        String state = normalizeState(JsonFacts.text(f, p + "status.state"));
        String contextId = JsonFacts.text(f, p + "contextId");
        if (kind != null) {
            String normalized = kind.replace('-', '_');
            String taskId = normalized.equals("task") ? JsonFacts.text(f, p + "id") : JsonFacts.text(f, p + "taskId");
            return new AnswerFacts(normalized, taskId, contextId, state, null);
        }
        if (present(f, p + "status") && JsonFacts.text(f, p + "id") != null) {
            return new AnswerFacts("task", JsonFacts.text(f, p + "id"), contextId, state, null);
        }
        return new AnswerFacts(null, null, contextId, null, null);
    }

    private static boolean present(Map<String, Value> facts, String path) {
        Value value = facts.get(path);
        return value != null && value.isObject();
    }

    /**
     * One spelling for task states of both generations: {@code TASK_STATE_INPUT_REQUIRED} and
     * {@code input-required} both become {@code input_required}.
     */
    public static String normalizeState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        String s = state.toLowerCase(Locale.ROOT);
        if (s.startsWith("task_state_")) {
            s = s.substring("task_state_".length());
        }
        s = s.replace('-', '_');
        return s.equals("cancelled") ? "canceled" : s;
    }
}
