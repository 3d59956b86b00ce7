package dev.agentgateway.llm.internal.guard;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.RegexGuard;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import dev.agentgateway.llm.internal.provider.Chunks;

/**
 * Applies regex guards to a stream of chunks. Text is passed on as soon as no match can still be
 * forming in it: the tail where a pattern could continue (checked with {@link Matcher#hitEnd()}) is
 * held back until the next chunk decides it, up to the guard's limit. A finish reason or the end of the
 * stream flushes what is held. A reject rule ends the stream with an error and cancels the provider.
 */
public final class StreamGuard implements Consumer<ObjectNode> {
    private final List<RegexGuard> guards;
    private final Consumer<ObjectNode> out;
    private final Consumer<LlmError> cancel;
    private final Map<Integer, StringBuilder> pending = new HashMap<>();
    private final int maxHeldBack;
    private ObjectNode template;
    private boolean rejected;

    StreamGuard(List<RegexGuard> guards, Consumer<ObjectNode> out, Consumer<LlmError> cancel) {
        this.guards = guards;
        this.out = out;
        this.cancel = cancel;
        this.maxHeldBack = guards.stream().mapToInt(RegexGuard::maxHeldBack).max().orElse(0);
    }

    @Override
    public void accept(ObjectNode chunk) {
        if (rejected) {
            return;
        }
        if (guards.isEmpty() || !chunk.has("choices")) {
            out.accept(chunk);
            return;
        }
        if (template == null) {
            template = chunk;
        }
        try {
            for (JsonNode choice : chunk.path("choices")) {
                if (!(choice.get("delta") instanceof ObjectNode delta)) {
                    continue;
                }
                int index = choice.path("index").asInt(0);
                StringBuilder held = pending.computeIfAbsent(index, i -> new StringBuilder());
                JsonNode content = delta.get("content");
                if (content != null && content.isTextual()) {
                    held.append(content.asText());
                }
                boolean finishing = choice.hasNonNull("finish_reason") || delta.has("tool_calls");
                String ready = finishing ? flushAll(held) : flushSafe(held);
                if (content != null && content.isTextual() || !ready.isEmpty()) {
                    if (ready.isEmpty() && !content.asText().isEmpty()) {
                        delta.remove("content");
                    } else {
                        delta.put("content", ready);
                    }
                }
            }
        } catch (LlmError error) {
            reject(error);
            return;
        }
        if (isEmpty(chunk)) {
            return;
        }
        out.accept(chunk);
    }

    /** The stream ended: what is still held goes out (masked). */
    public void finish() {
        if (rejected || template == null) {
            return;
        }
        try {
            for (Map.Entry<Integer, StringBuilder> entry : pending.entrySet()) {
                String rest = flushAll(entry.getValue());
                if (!rest.isEmpty()) {
                    ObjectNode chunk = Chunks.chunk(Json.string(template, "id"), template.path("created").asLong(),
                            Json.string(template, "model"), Chunks.content(rest), null);
                    ((ObjectNode) chunk.get("choices").get(0)).put("index", entry.getKey());
                    out.accept(chunk);
                }
            }
        } catch (LlmError error) {
            reject(error);
        }
    }

    private void reject(LlmError error) {
        rejected = true;
        out.accept(Chunks.error(error.getMessage(), error.type(), error.code()));
        cancel.accept(error);
    }

    private static boolean isEmpty(ObjectNode chunk) {
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode delta = choice.path("delta");
            if (!delta.isEmpty() || choice.hasNonNull("finish_reason")) {
                return false;
            }
        }
        return !chunk.path("choices").isEmpty() && !chunk.hasNonNull("usage");
    }

    private String flushAll(StringBuilder held) {
        String text = held.toString();
        held.setLength(0);
        return mask(text);
    }

    /** Emits the part of {@code held} that no pattern can still extend; keeps the rest. */
    private String flushSafe(StringBuilder held) {
        int length = held.length();
        int holdFrom = length;
        for (RegexGuard guard : guards) {
            for (RegexGuard.Rule rule : guard.rules()) {
                Matcher matcher = rule.detector().pattern().matcher(held);
                for (int i = Math.max(0, length - maxHeldBack); i < holdFrom; i++) {
                    matcher.region(i, length);
                    matcher.lookingAt();
                    if (matcher.hitEnd()) {
                        holdFrom = i;
                        break;
                    }
                }
                // A match that crosses the cut must be held whole.
                matcher.reset();
                while (matcher.find()) {
                    if (matcher.start() < holdFrom && matcher.end() > holdFrom) {
                        holdFrom = matcher.start();
                    }
                }
            }
        }
        if (length - holdFrom > maxHeldBack) {
            holdFrom = length - maxHeldBack;
        }
        String ready = held.substring(0, holdFrom);
        held.delete(0, holdFrom);
        return mask(ready);
    }

    private String mask(String text) {
        String result = text;
        for (RegexGuard guard : guards) {
            result = Guards.apply(guard, result, "response");
        }
        return result;
    }
}
