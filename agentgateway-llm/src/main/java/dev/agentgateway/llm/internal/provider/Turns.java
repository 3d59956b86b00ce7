package dev.agentgateway.llm.internal.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Building a provider's conversation from OpenAI messages. Bedrock and Gemini, like Anthropic, want
 * roles to alternate, so consecutive messages of one role (a tool result after a user message, say)
 * become one turn.
 */
final class Turns {
    private Turns() {
    }

    /**
     * Adds {@code items} as a turn of {@code role} under {@code itemsField} ({@code content} for
     * Bedrock, {@code parts} for Gemini), or to the last turn when it has the same role. Nothing for no items.
     */
    static void append(ArrayNode turns, String role, String itemsField, ArrayNode items) {
        if (items.isEmpty()) {
            return;
        }
        if (!turns.isEmpty() && role.equals(turns.get(turns.size() - 1).path("role").asText())) {
            ((ArrayNode) turns.get(turns.size() - 1).get(itemsField)).addAll(items);
            return;
        }
        ObjectNode turn = turns.addObject();
        turn.put("role", role);
        turn.set(itemsField, items);
    }
}
