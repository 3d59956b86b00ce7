package dev.agentgateway.llm.internal.front;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.provider.FinishReasons;

/**
 * Turns the internal stream (OpenAI chunks) into Anthropic Messages stream events: {@code message_start},
 * content blocks for text and tool use, then {@code message_delta} with the stop reason and usage and
 * {@code message_stop}. The stop reason is held until the usage has arrived, since OpenAI sends usage
 * after the finishing chunk.
 */
public final class AnthropicStreamEncoder {
    private final BiConsumer<String, ObjectNode> events;
    private final String requestedModel;
    private boolean started;
    private boolean finished;
    private int nextBlock;
    private int openBlock = -1;
    private boolean openIsText;
    private final Map<Integer, Integer> blockByTool = new HashMap<>();
    private String stopReason;
    private JsonNode usage;

    /** @param events receives each event as (event type, data) */
    public AnthropicStreamEncoder(BiConsumer<String, ObjectNode> events, String requestedModel) {
        this.events = events;
        this.requestedModel = requestedModel;
    }

    /** Handles one internal chunk. */
    public void accept(ObjectNode chunk) {
        if (chunk.has("error") && !chunk.has("choices")) {
            JsonNode error = chunk.path("error");
            ObjectNode data = Json.object();
            data.put("type", "error");
            ObjectNode e = data.putObject("error");
            e.put("type", anthropicErrorType(Json.string(error, "type")));
            e.put("message", error.path("message").asText("stream failed"));
            events.accept("error", data);
            finished = true;
            return;
        }
        start(chunk);
        if (Json.has(chunk, "usage")) {
            usage = chunk.get("usage");
        }
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            String text = Json.string(delta, "content");
            if (text != null && !text.isEmpty()) {
                if (openBlock < 0 || !openIsText) {
                    closeBlock();
                    ObjectNode data = Json.object();
                    data.put("type", "content_block_start");
                    data.put("index", nextBlock);
                    ObjectNode block = data.putObject("content_block");
                    block.put("type", "text");
                    block.put("text", "");
                    events.accept("content_block_start", data);
                    openBlock = nextBlock++;
                    openIsText = true;
                }
                ObjectNode data = Json.object();
                data.put("type", "content_block_delta");
                data.put("index", openBlock);
                ObjectNode d = data.putObject("delta");
                d.put("type", "text_delta");
                d.put("text", text);
                events.accept("content_block_delta", data);
            }
            for (JsonNode call : delta.path("tool_calls")) {
                int toolIndex = call.path("index").asInt(0);
                if (Json.string(call, "id") != null || !blockByTool.containsKey(toolIndex)) {
                    closeBlock();
                    ObjectNode data = Json.object();
                    data.put("type", "content_block_start");
                    data.put("index", nextBlock);
                    ObjectNode block = data.putObject("content_block");
                    block.put("type", "tool_use");
                    block.put("id", Json.string(call, "id") != null ? Json.string(call, "id") : "toolu_" + toolIndex);
                    block.put("name", Json.string(call.path("function"), "name"));
                    block.putObject("input");
                    events.accept("content_block_start", data);
                    blockByTool.put(toolIndex, nextBlock);
                    openBlock = nextBlock++;
                    openIsText = false;
                }
                String arguments = Json.string(call.path("function"), "arguments");
                if (arguments != null && !arguments.isEmpty()) {
                    ObjectNode data = Json.object();
                    data.put("type", "content_block_delta");
                    data.put("index", blockByTool.get(toolIndex));
                    ObjectNode d = data.putObject("delta");
                    d.put("type", "input_json_delta");
                    d.put("partial_json", arguments);
                    events.accept("content_block_delta", data);
                }
            }
            String finish = Json.string(choice, "finish_reason");
            if (finish != null) {
                stopReason = FinishReasons.toAnthropic(finish);
            }
        }
    }

    private void start(ObjectNode chunk) {
        if (started) {
            return;
        }
        started = true;
        ObjectNode data = Json.object();
        data.put("type", "message_start");
        ObjectNode message = data.putObject("message");
        String id = Json.string(chunk, "id");
        message.put("id", id != null && id.startsWith("msg_") ? id : "msg_" + (id == null ? "gateway" : id));
        message.put("type", "message");
        message.put("role", "assistant");
        message.putArray("content");
        message.put("model", Json.string(chunk, "model") != null ? Json.string(chunk, "model") : requestedModel);
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        ObjectNode u = message.putObject("usage");
        u.put("input_tokens", 0);
        u.put("output_tokens", 0);
        events.accept("message_start", data);
    }

    private void closeBlock() {
        if (openBlock >= 0) {
            ObjectNode data = Json.object();
            data.put("type", "content_block_stop");
            data.put("index", openBlock);
            events.accept("content_block_stop", data);
            openBlock = -1;
        }
    }

    /** The internal stream ended: close what is open and send the final events. */
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (!started) {
            start(Json.object());
        }
        closeBlock();
        ObjectNode data = Json.object();
        data.put("type", "message_delta");
        ObjectNode delta = data.putObject("delta");
        delta.put("stop_reason", stopReason == null ? "end_turn" : stopReason);
        delta.putNull("stop_sequence");
        data.set("usage", usage == null ? zeroUsage() : AnthropicIngress.usage(usage));
        events.accept("message_delta", data);
        ObjectNode stop = Json.object();
        stop.put("type", "message_stop");
        events.accept("message_stop", stop);
    }

    private static ObjectNode zeroUsage() {
        ObjectNode u = Json.object();
        u.put("output_tokens", 0);
        return u;
    }

    static String anthropicErrorType(String openAiType) {
        if (openAiType == null) {
            return "api_error";
        }
        return switch (openAiType) {
            case "invalid_request_error" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            case "rate_limit_error" -> "rate_limit_error";
            case "overloaded_error" -> "overloaded_error";
            default -> "api_error";
        };
    }
}
