package dev.agentgateway.llm.internal.provider;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.aws.EventStreamMessage;

/**
 * Bedrock's ConverseStream events as OpenAI chunks (reference 8.3): messageStart gives the role chunk,
 * text and tool-input deltas become content and tool-call deltas (tool calls numbered in order),
 * reasoning deltas reasoning content, messageStop the finish reason, metadata the usage chunk; an
 * exception frame becomes an error object. A forced JSON tool's input streams as content.
 */
final class BedrockStream implements StreamTranslator {
    private final Json json;
    private final String id;
    private final String model;

    private final long created = Chunks.now();
    private final Map<Integer, Integer> toolByBlock = new HashMap<>();
    private int jsonBlock = -1;
    private int nextTool;
    private boolean usageSent;

    @Override
    public void onMessage(EventStreamMessage message, Consumer<ObjectNode> out) {
        JsonNode payload = json.parseOrNull(message.payload());
        if (!"event".equals(message.messageType())) {
            String type = message.header(":exception-type");
            if (type == null) {
                type = message.header(":error-code");
            }
            String text = payload == null ? message.payloadText() : payload.path("message").asText(message.payloadText());
            out.accept(Chunks.error(text, BedrockAdapter.errorType(type), type));
            return;
        }
        if (payload == null) {
            return;
        }
        int block = payload.path("contentBlockIndex").asInt(0);
        switch (String.valueOf(message.eventType())) {
            case "messageStart" -> out.accept(Chunks.chunk(id, created, model, Chunks.roleDelta(), null));
            case "contentBlockStart" -> {
                JsonNode use = payload.path("start").get("toolUse");
                if (use != null && AnthropicAdapter.JSON_TOOL.equals(Json.string(use, "name"))) {
                    jsonBlock = block;
                } else if (use != null) {
                    int index = nextTool++;
                    toolByBlock.put(block, index);
                    out.accept(Chunks.chunk(id, created, model,
                            Chunks.toolCallStart(index, Json.string(use, "toolUseId"), Json.string(use, "name")), null));
                }
            }
            case "contentBlockDelta" -> {
                JsonNode delta = payload.path("delta");
                if (delta.has("text")) {
                    out.accept(Chunks.chunk(id, created, model, Chunks.content(delta.path("text").asText()), null));
                } else if (delta.has("toolUse") && block == jsonBlock) {
                    String input = delta.path("toolUse").path("input").asText("");
                    if (!input.isEmpty()) {
                        out.accept(Chunks.chunk(id, created, model, Chunks.content(input), null));
                    }
                } else if (delta.has("toolUse") && toolByBlock.containsKey(block)) {
                    String input = delta.path("toolUse").path("input").asText("");
                    if (!input.isEmpty()) {
                        out.accept(Chunks.chunk(id, created, model, Chunks.toolCallArguments(toolByBlock.get(block), input), null));
                    }
                } else if (delta.has("reasoningContent") && delta.path("reasoningContent").has("text")) {
                    ObjectNode reasoning = Json.object();
                    reasoning.put("reasoning_content", delta.path("reasoningContent").path("text").asText());
                    out.accept(Chunks.chunk(id, created, model, reasoning, null));
                }
            }
            case "messageStop" -> out.accept(Chunks.chunk(id, created, model, Json.object(), jsonBlock >= 0
                    ? "stop" : FinishReasons.fromBedrock(Json.string(payload, "stopReason"))));
            case "metadata" -> {
                if (payload.has("usage") && !usageSent) {
                    usageSent = true;
                    out.accept(Chunks.usageChunk(id, created, model, BedrockAdapter.usage(payload.get("usage"))));
                }
            }
            default -> {
                // contentBlockStop and unknown events carry nothing for OpenAI clients
            }
        }
    }

    @Override
    public void onEnd(Consumer<ObjectNode> out) {
        // the usage chunk came with the metadata event
    }

    BedrockStream(Json json, String id, String model) {
        this.json = json;
        this.id = id;
        this.model = model;
    }
}
