package dev.agentgateway.llm.internal.front;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import dev.agentgateway.llm.internal.provider.FinishReasons;

/**
 * The Anthropic Messages API in front of any provider (reference 8.4): a Messages request becomes the
 * internal OpenAI form, and an OpenAI answer becomes a Messages answer.
 */
public final class AnthropicIngress {
    private final Json json;

    public AnthropicIngress(Json json) {
        this.json = json;
    }

    /** The OpenAI chat request for a Messages request. */
    public ObjectNode toOpenAi(ObjectNode messages) {
        ObjectNode out = Json.object();
        if (messages.has("model")) {
            out.set("model", messages.get("model"));
        }
        ArrayNode outMessages = out.putArray("messages");
        JsonNode system = messages.get("system");
        if (system != null && !system.isNull()) {
            ObjectNode message = outMessages.addObject();
            message.put("role", "system");
            message.put("content", system.isTextual() ? system.asText() : blocksText(system));
        }
        JsonNode input = messages.get("messages");
        if (input == null || !input.isArray()) {
            throw LlmError.invalidParameter("messages", "messages: Field required (an array of messages)");
        }
        for (JsonNode message : input) {
            String role = Json.string(message, "role");
            if (role == null) {
                throw LlmError.invalidParameter("messages", "every message needs a role");
            }
            JsonNode content = message.get("content");
            switch (role) {
                case "system" -> {
                    ObjectNode m = outMessages.addObject();
                    m.put("role", "system");
                    m.put("content", content != null && content.isTextual() ? content.asText() : blocksText(content));
                }
                case "user" -> user(content, outMessages);
                case "assistant" -> assistant(content, outMessages);
                default -> throw LlmError.invalidParameter("messages", "unknown message role '" + role + "'");
            }
        }
        JsonNode maxTokens = messages.get("max_tokens");
        if (maxTokens != null && !maxTokens.isNull()) {
            out.set("max_tokens", maxTokens);
        }
        Json.copy(messages, "temperature", out, "temperature");
        Json.copy(messages, "top_p", out, "top_p");
        Json.copy(messages, "top_k", out, "top_k");
        Json.copy(messages, "stop_sequences", out, "stop");
        String user = Json.string(messages.path("metadata"), "user_id");
        if (user != null) {
            out.put("user", user);
        }
        JsonNode tools = messages.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode outTools = out.putArray("tools");
            for (JsonNode tool : tools) {
                ObjectNode t = outTools.addObject();
                t.put("type", "function");
                ObjectNode function = t.putObject("function");
                function.put("name", Json.string(tool, "name"));
                if (Json.string(tool, "description") != null) {
                    function.put("description", Json.string(tool, "description"));
                }
                if (tool.has("input_schema")) {
                    function.set("parameters", tool.get("input_schema"));
                }
            }
        }
        JsonNode choice = messages.get("tool_choice");
        if (choice != null && choice.isObject()) {
            switch (choice.path("type").asText()) {
                case "any" -> out.put("tool_choice", "required");
                case "none" -> out.put("tool_choice", "none");
                case "tool" -> {
                    ObjectNode c = out.putObject("tool_choice");
                    c.put("type", "function");
                    c.putObject("function").put("name", Json.string(choice, "name"));
                }
                default -> out.put("tool_choice", "auto");
            }
            if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
                out.put("parallel_tool_calls", false);
            }
        }
        if (messages.path("stream").asBoolean(false)) {
            out.put("stream", true);
            out.putObject("stream_options").put("include_usage", true);
        }
        return out;
    }

    private void user(JsonNode content, ArrayNode out) {
        if (content == null || content.isTextual()) {
            ObjectNode m = out.addObject();
            m.put("role", "user");
            m.put("content", content == null ? "" : content.asText());
            return;
        }
        ArrayNode parts = Json.array();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> {
                    ObjectNode part = parts.addObject();
                    part.put("type", "text");
                    part.put("text", block.path("text").asText());
                }
                case "image" -> {
                    JsonNode source = block.path("source");
                    String url = "base64".equals(Json.string(source, "type"))
                            ? "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText()
                            : source.path("url").asText();
                    ObjectNode part = parts.addObject();
                    part.put("type", "image_url");
                    part.putObject("image_url").put("url", url);
                }
                case "tool_result" -> {
                    // Tool results become tool messages, placed before the rest of this user turn.
                    ObjectNode tool = out.addObject();
                    tool.put("role", "tool");
                    tool.put("tool_call_id", Json.string(block, "tool_use_id"));
                    JsonNode result = block.get("content");
                    String text = result == null || result.isNull() ? "" : result.isTextual() ? result.asText() : blocksText(result);
                    tool.put("content", block.path("is_error").asBoolean(false) && !text.startsWith("Error") ? "Error: " + text : text);
                }
                default -> throw LlmError.invalidParameter("messages",
                        "content block type '" + block.path("type").asText() + "' cannot be translated for this model");
            }
        }
        if (!parts.isEmpty()) {
            ObjectNode m = out.addObject();
            m.put("role", "user");
            m.set("content", parts);
        }
    }

    private void assistant(JsonNode content, ArrayNode out) {
        ObjectNode m = out.addObject();
        m.put("role", "assistant");
        if (content == null || content.isTextual()) {
            m.put("content", content == null ? "" : content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.array();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> {
                    ObjectNode call = calls.addObject();
                    call.put("id", Json.string(block, "id"));
                    call.put("type", "function");
                    ObjectNode function = call.putObject("function");
                    function.put("name", Json.string(block, "name"));
                    function.put("arguments", block.has("input") ? json.text(block.get("input")) : "{}");
                }
                default -> {
                    // thinking blocks are the provider's own and cannot be replayed to another one
                }
            }
        }
        if (text.isEmpty() && !calls.isEmpty()) {
            m.putNull("content");
        } else {
            m.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            m.set("tool_calls", calls);
        }
    }

    /** The Messages answer for an OpenAI {@code chat.completion}. */
    public ObjectNode fromOpenAi(ObjectNode completion, String requestedModel) {
        ObjectNode out = Json.object();
        String id = Json.string(completion, "id");
        out.put("id", id != null && id.startsWith("msg_") ? id : "msg_" + (id == null ? "gateway" : id));
        out.put("type", "message");
        out.put("role", "assistant");
        out.put("model", Json.string(completion, "model") != null ? Json.string(completion, "model") : requestedModel);
        ArrayNode content = out.putArray("content");
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        String text = Json.string(message, "content");
        if (text != null && !text.isEmpty()) {
            ObjectNode block = content.addObject();
            block.put("type", "text");
            block.put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = content.addObject();
            block.put("type", "tool_use");
            block.put("id", Json.string(call, "id"));
            block.put("name", Json.string(call.path("function"), "name"));
            JsonNode input = json.parseOrNull(Json.string(call.path("function"), "arguments"));
            block.set("input", input != null && input.isObject() ? input : Json.object());
        }
        out.put("stop_reason", FinishReasons.toAnthropic(Json.string(choice, "finish_reason")));
        out.putNull("stop_sequence");
        out.set("usage", usage(completion.path("usage")));
        return out;
    }

    /** OpenAI usage from Anthropic usage: prompt tokens include cache reads and writes (reference 9.2). */
    public static ObjectNode openAiUsage(JsonNode usage) {
        return dev.agentgateway.llm.internal.provider.AnthropicAdapter.usage(usage, 0);
    }

    /** Anthropic usage from OpenAI usage: input tokens exclude cache reads and writes. */
    static ObjectNode usage(JsonNode usage) {
        long cached = Json.number(usage.path("prompt_tokens_details"), "cached_tokens");
        long created = Json.number(usage.path("prompt_tokens_details"), "cache_creation_tokens");
        ObjectNode out = Json.object();
        out.put("input_tokens", Math.max(0, Json.number(usage, "prompt_tokens") - cached - created));
        out.put("output_tokens", Json.number(usage, "completion_tokens"));
        out.put("cache_creation_input_tokens", created);
        out.put("cache_read_input_tokens", cached);
        return out;
    }

    private static String blocksText(JsonNode blocks) {
        if (blocks == null || blocks.isNull()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : blocks) {
            if (block.has("text")) {
                if (!text.isEmpty()) {
                    text.append("\n");
                }
                text.append(block.path("text").asText());
            }
        }
        return text.toString();
    }

}
