package dev.agentgateway.llm.internal.provider;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.llm.internal.Json;

/**
 * The Anthropic event stream as OpenAI chunks (reference 8.1, streaming table): message_start gives the
 * role chunk, text and tool-input deltas become content and tool-call deltas (tool calls numbered in
 * order, whatever their block index), message_delta the finish reason, message_stop the usage chunk
 * (input counts from message_start, output from the cumulative message_delta). A forced JSON tool's
 * input streams as content.
 */
final class AnthropicStream implements StreamTranslator {
private final Json json;
    private final long created = Chunks.now();
    private String id = "msg";
    private String model;
    private ObjectNode startUsage = Json.object();
    private ObjectNode lastUsage;
    private int nextToolIndex;
    private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
    private int jsonToolBlock = -1;
    private boolean usageSent;

    AnthropicStream(Json json, String model) {
        this.json = json;
        this.model = model;
    }

    @Override
    public void onEvent(SseEvent event, Consumer<ObjectNode> out) {
        JsonNode data = json.parseOrNull(event.data());
        if (data == null) {
            return;
        }
        String type = data.path("type").asText(event.type());
        switch (type) {
            case "message_start" -> {
                JsonNode message = data.path("message");
                id = Json.string(message, "id") != null ? Json.string(message, "id") : id;
                model = Json.string(message, "model") != null ? Json.string(message, "model") : model;
                if (message.get("usage") instanceof ObjectNode usage) {
                    startUsage = usage;
                }
                out.accept(Chunks.chunk(id, created, model, Chunks.roleDelta(), null));
            }
            case "content_block_start" -> {
                JsonNode block = data.path("content_block");
                int index = data.path("index").asInt();
                if ("tool_use".equals(Json.string(block, "type"))) {
                    if (AnthropicAdapter.JSON_TOOL.equals(Json.string(block, "name"))) {
                        jsonToolBlock = index;
                        return;
                    }
                    int toolIndex = nextToolIndex++;
                    toolIndexByBlock.put(index, toolIndex);
                    out.accept(Chunks.chunk(id, created, model,
                            Chunks.toolCallStart(toolIndex, Json.string(block, "id"), Json.string(block, "name")), null));
                }
            }
            case "content_block_delta" -> {
                JsonNode delta = data.path("delta");
                int index = data.path("index").asInt();
                switch (delta.path("type").asText()) {
                    case "text_delta" -> out.accept(Chunks.chunk(id, created, model,
                            Chunks.content(delta.path("text").asText()), null));
                    case "input_json_delta" -> {
                        String partial = delta.path("partial_json").asText();
                        if (index == jsonToolBlock) {
                            if (!partial.isEmpty()) {
                                out.accept(Chunks.chunk(id, created, model, Chunks.content(partial), null));
                            }
                        } else if (toolIndexByBlock.containsKey(index) && !partial.isEmpty()) {
                            out.accept(Chunks.chunk(id, created, model,
                                    Chunks.toolCallArguments(toolIndexByBlock.get(index), partial), null));
                        }
                    }
                    case "thinking_delta" -> {
                        ObjectNode reasoning = Json.object();
                        reasoning.put("reasoning_content", delta.path("thinking").asText());
                        out.accept(Chunks.chunk(id, created, model, reasoning, null));
                    }
                    default -> {
                        // signature and citation deltas have no OpenAI form
                    }
                }
            }
            case "message_delta" -> {
                if (data.get("usage") instanceof ObjectNode usage) {
                    lastUsage = usage;
                }
                String reason = Json.string(data.path("delta"), "stop_reason");
                String finish = jsonToolBlock >= 0 && "tool_use".equals(reason) ? "stop" : FinishReasons.fromAnthropic(reason);
                out.accept(Chunks.chunk(id, created, model, Json.object(), finish));
            }
            case "message_stop" -> emitUsage(out);
            case "error" -> {
                JsonNode error = data.path("error");
                out.accept(Chunks.error(error.path("message").asText("Anthropic stream error"),
                        error.path("type").asText("api_error"), null));
            }
            default -> {
                // ping and unknown events
            }
        }
    }

    private void emitUsage(Consumer<ObjectNode> out) {
        if (usageSent) {
            return;
        }
        usageSent = true;
        // message_delta usage is cumulative and may omit input counts: fill them from message_start.
        ObjectNode merged = startUsage.deepCopy();
        if (lastUsage != null) {
            lastUsage.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    merged.set(e.getKey(), e.getValue());
                }
            });
        }
        out.accept(Chunks.usageChunk(id, created, model, AnthropicAdapter.usage(merged, 0)));
    }

    @Override
    public void onEnd(Consumer<ObjectNode> out) {
        if (lastUsage != null) {
            emitUsage(out);
        }
    }
}
