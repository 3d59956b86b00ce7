package dev.agentgateway.llm.internal.provider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;

/** Reading an OpenAI chat request the way every translator needs it. */
public final class OpenAiMessages {
    private OpenAiMessages() {
    }

    /** The {@code messages} array, checked. */
    public static List<ObjectNode> messages(ObjectNode request) {
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray()) {
            throw LlmError.invalidParameter("messages", "'messages' must be an array of messages");
        }
        List<ObjectNode> list = new ArrayList<>();
        for (JsonNode message : messages) {
            if (!message.isObject() || Json.string(message, "role") == null) {
                throw LlmError.invalidParameter("messages", "every message must be an object with a 'role'");
            }
            list.add((ObjectNode) message);
        }
        return list;
    }

    public static boolean isSystem(ObjectNode message) {
        String role = Json.string(message, "role");
        return "system".equals(role) || "developer".equals(role);
    }

    /** The content as a list of parts: a string becomes one text part; null or absent, none. */
    public static List<ObjectNode> parts(JsonNode content) {
        List<ObjectNode> parts = new ArrayList<>();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            ObjectNode part = Json.object();
            part.put("type", "text");
            part.put("text", content.asText());
            parts.add(part);
            return parts;
        }
        if (!content.isArray()) {
            throw LlmError.invalidParameter("messages", "message content must be a string or an array of parts");
        }
        for (JsonNode part : content) {
            if (part.isObject()) {
                parts.add((ObjectNode) part);
            } else if (part.isTextual()) {
                ObjectNode text = Json.object();
                text.put("type", "text");
                text.put("text", part.asText());
                parts.add(text);
            }
        }
        return parts;
    }

    /** The text parts of a content joined, or {@code ""}. */
    public static String text(JsonNode content) {
        StringBuilder text = new StringBuilder();
        for (ObjectNode part : parts(content)) {
            if ("text".equals(Json.string(part, "type")) && Json.string(part, "text") != null) {
                text.append(Json.string(part, "text"));
            }
        }
        return text.toString();
    }

    /** Tool-call id to function name, over the assistant messages of the request. */
    public static Map<String, String> toolNames(List<ObjectNode> messages) {
        Map<String, String> names = new HashMap<>();
        for (ObjectNode message : messages) {
            JsonNode calls = message.get("tool_calls");
            if (calls != null && calls.isArray()) {
                for (JsonNode call : calls) {
                    String id = Json.string(call, "id");
                    String name = Json.string(call.path("function"), "name");
                    if (id != null && name != null) {
                        names.put(id, name);
                    }
                }
            }
        }
        return names;
    }

    /** {@code max_completion_tokens}, else {@code max_tokens}, else {@code fallback}. */
    public static int maxTokens(ObjectNode request, int fallback) {
        JsonNode value = request.get("max_completion_tokens");
        if (value == null || value.isNull()) {
            value = request.get("max_tokens");
        }
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || value.asInt() < 1) {
            throw LlmError.invalidParameter("max_tokens", "max_tokens must be a positive integer");
        }
        return value.asInt();
    }

    /** {@code stop} as an array (a string becomes one element), or {@code null}. */
    public static ArrayNode stop(ObjectNode request) {
        JsonNode stop = request.get("stop");
        if (stop == null || stop.isNull()) {
            return null;
        }
        ArrayNode sequences = Json.array();
        if (stop.isTextual()) {
            sequences.add(stop.asText());
        } else if (stop.isArray()) {
            stop.forEach(s -> sequences.add(s.asText()));
        } else {
            throw LlmError.invalidParameter("stop", "'stop' must be a string or an array of strings");
        }
        return sequences;
    }

    /** Rejects {@code n > 1} for providers that return one choice. */
    public static void requireSingleChoice(ObjectNode request) {
        JsonNode n = request.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw LlmError.invalidParameter("n", "this provider returns one choice; 'n' must be 1");
        }
    }

    /** Parses tool-call arguments; an empty string is an empty object, malformed JSON is a 400. */
    public static JsonNode arguments(Json json, String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return Json.object();
        }
        JsonNode parsed = json.parseOrNull(arguments);
        if (parsed == null || !parsed.isObject()) {
            throw LlmError.invalidParameter("messages", "tool call arguments must be a JSON object: " + arguments);
        }
        return parsed;
    }

    /** A tool message's content as text (parts joined). */
    public static String toolResultText(ObjectNode message) {
        JsonNode content = message.get("content");
        return content != null && content.isTextual() ? content.asText() : text(content);
    }
}
