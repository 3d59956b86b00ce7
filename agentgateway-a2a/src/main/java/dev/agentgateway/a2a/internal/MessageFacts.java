package dev.agentgateway.a2a.internal;

import java.util.Map;
import java.util.Set;

import dev.agentgateway.a2a.internal.JsonFacts.Value;

/**
 * The identifiers a request carries in its parameters (JSON-RPC {@code params}, or a REST body):
 * task id, context id, message id and, when the caller names one, the skill. Both generations and
 * both field spellings (camelCase as ProtoJSON writes it, snake_case as ProtoJSON also accepts) are read.
 */
public record MessageFacts(String taskId, String contextId, String messageId, String skill) {

    /** The paths read, relative to the parameters. */
    public static final Set<String> PATHS = Set.of("id", "message", "taskId", "task_id", "contextId", "context_id",
            "message.taskId", "message.task_id", "message.contextId", "message.context_id",
            "message.messageId", "message.message_id",
            "metadata.skillId", "metadata.skill_id", "metadata.skill",
            "message.metadata.skillId", "message.metadata.skill_id", "message.metadata.skill");

    public static final MessageFacts NONE = new MessageFacts(null, null, null, null);

    /** Reads the facts found under {@code prefix} ({@code "params."} for JSON-RPC, {@code ""} for REST bodies). */
    public static MessageFacts of(Map<String, Value> facts, String prefix) {
        String p = prefix;
        String taskId = JsonFacts.text(facts, p + "taskId", p + "task_id", p + "message.taskId", p + "message.task_id");
        if (taskId == null && !facts.containsKey(p + "message")) {
            taskId = JsonFacts.text(facts, p + "id");
        }
        String contextId = JsonFacts.text(facts, p + "message.contextId", p + "message.context_id", p + "contextId",
                p + "context_id");
        String messageId = JsonFacts.text(facts, p + "message.messageId", p + "message.message_id");
        String skill = JsonFacts.text(facts, p + "message.metadata.skillId", p + "message.metadata.skill_id",
                p + "message.metadata.skill", p + "metadata.skillId", p + "metadata.skill_id", p + "metadata.skill");
        return new MessageFacts(blankToNull(taskId), blankToNull(contextId), blankToNull(messageId), blankToNull(skill));
    }

    /** With the task id from a REST path. */
    public MessageFacts withTaskId(String id) {
        return new MessageFacts(id, contextId, messageId, skill);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
