package dev.agentgateway.mcp.internal.upstream;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * One {@code input_required} answer of a modern target to a call (MRTR): the input requests it made,
 * which the gateway sends the client as requests under synthetic ids (so either era of client answers
 * them the way it knows), the answers collected, and the target's {@code requestState}, echoed back
 * byte for byte on the retry.
 */
public final class InputRound {
    private static final String PREFIX = "agw-input:";

    final JsonNode requestState;
    final Set<String> awaiting;
    final Map<String, JsonNode> answers = new LinkedHashMap<>();

    InputRound(JsonNode requestState, Set<String> awaiting) {
        this.requestState = requestState;
        this.awaiting = awaiting;
    }

    /** The synthetic id of input request {@code key} of round {@code round} of call {@code callId}. */
    static String syntheticId(long callId, int round, String key) {
        return PREFIX + callId + ":" + round + "/" + key;
    }

    /** The input key a synthetic id carries, or {@code null} when {@code id} is not one. */
    public static String keyOf(JsonNode id) {
        if (!(id instanceof TextNode text) || !text.asText().startsWith(PREFIX)) {
            return null;
        }
        int slash = text.asText().indexOf('/');
        return slash < 0 ? null : text.asText().substring(slash + 1);
    }

    /** Whether {@code id} is a synthetic id. */
    static boolean isSynthetic(JsonNode id) {
        return keyOf(id) != null;
    }

    /** The retry: the original request with a new id, the answers and the target's state. */
    ObjectNode retry(ObjectNode original, long id) {
        ObjectNode retry = original.deepCopy();
        retry.put("id", id);
        ObjectNode params = retry.get("params") instanceof ObjectNode p ? p : retry.putObject("params");
        ObjectNode responses = params.putObject("inputResponses");
        answers.forEach(responses::set);
        if (requestState != null) {
            params.set("requestState", requestState);
        } else {
            params.remove("requestState");
        }
        return retry;
    }
}
