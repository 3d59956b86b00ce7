package dev.agentgateway.llm.internal.provider;

import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;

/**
 * Gemini's {@code alt=sse} stream as OpenAI chunks (reference 8.2): every event is a whole response
 * chunk; text parts become content deltas, thought parts reasoning, a function call arrives whole (a
 * start and its arguments, with a generated id), the finish reason ends it, and the usage chunk comes
 * from the last (cumulative) {@code usageMetadata}.
 */
final class GeminiStream implements StreamTranslator {
    private final Json json;

    private final long created = Chunks.now();
    private String id;
    private String responseModel;
    private boolean started;
    private int nextTool;
    private boolean calls;
    private JsonNode usage;

    @Override
    public void onEvent(SseEvent event, Consumer<ObjectNode> out) {
        JsonNode data = json.parseOrNull(event.data());
        if (data == null) {
            return;
        }
        if (data.has("error")) {
            JsonNode error = data.get("error");
            out.accept(Chunks.error(error.path("message").asText("Gemini stream error"),
                    LlmError.typeFor(error.path("code").asInt(500)), Json.string(error, "status")));
            return;
        }
        if (id == null) {
            id = Json.string(data, "responseId") != null ? Json.string(data, "responseId") : "gemini-" + UUID.randomUUID();
        }
        if (Json.string(data, "modelVersion") != null) {
            responseModel = Json.string(data, "modelVersion");
        }
        if (!started) {
            started = true;
            out.accept(Chunks.chunk(id, created, responseModel, Chunks.roleDelta(), null));
        }
        if (data.has("usageMetadata")) {
            usage = data.get("usageMetadata");
        }
        JsonNode candidate = data.path("candidates").path(0);
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                JsonNode call = part.get("functionCall");
                calls = true;
                int index = nextTool++;
                out.accept(Chunks.chunk(id, created, responseModel,
                        Chunks.toolCallStart(index, GeminiAdapter.callId(call), Json.string(call, "name")), null));
                out.accept(Chunks.chunk(id, created, responseModel,
                        Chunks.toolCallArguments(index, call.has("args") ? json.text(call.get("args")) : "{}"), null));
            } else if (part.has("text")) {
                String text = part.path("text").asText();
                if (part.path("thought").asBoolean(false)) {
                    ObjectNode delta = Json.object();
                    delta.put("reasoning_content", text);
                    out.accept(Chunks.chunk(id, created, responseModel, delta, null));
                } else if (!text.isEmpty()) {
                    out.accept(Chunks.chunk(id, created, responseModel, Chunks.content(text), null));
                }
            }
        }
        String finish = Json.string(candidate, "finishReason");
        if (finish != null) {
            out.accept(Chunks.chunk(id, created, responseModel, Json.object(), FinishReasons.fromGemini(finish, calls)));
        } else if (data.path("candidates").isEmpty() && Json.has(data.path("promptFeedback"), "blockReason")) {
            out.accept(Chunks.chunk(id, created, responseModel, Json.object(), "content_filter"));
        }
    }

    @Override
    public void onEnd(Consumer<ObjectNode> out) {
        if (usage != null) {
            out.accept(Chunks.usageChunk(id == null ? "gemini" : id, created, responseModel, GeminiAdapter.usage(usage)));
        }
    }

    GeminiStream(Json json, String model) {
        this.json = json;
        this.responseModel = model;
    }
}
