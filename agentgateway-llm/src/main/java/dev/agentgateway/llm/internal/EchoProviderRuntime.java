package dev.agentgateway.llm.internal;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.internal.provider.Chunks;
import dev.agentgateway.llm.internal.provider.OpenAiMessages;

/**
 * The in-process {@link LlmProvider.Kind#ECHO} provider: answers with the last user message, streamed
 * word by word, and counts one token per word. For offline demos and tests; nothing leaves the JVM.
 */
final class EchoProviderRuntime extends ProviderRuntime {

    EchoProviderRuntime(LlmProvider config) {
        super(config);
    }

    @Override
    public Attempt chat(ObjectNode request, String model, boolean stream) {
        List<ObjectNode> messages = OpenAiMessages.messages(request);
        String prompt = "";
        long promptWords = 0;
        for (ObjectNode message : messages) {
            String text = OpenAiMessages.text(message.get("content"));
            promptWords += words(text);
            if ("user".equals(Json.string(message, "role"))) {
                prompt = text;
            }
        }
        String answer = prompt.isBlank() ? "(nothing to echo)" : prompt;
        String id = "chatcmpl-echo-" + UUID.randomUUID();
        long created = Chunks.now();
        ObjectNode usage = Chunks.usage(promptWords, words(answer), 0, 0, 0, 0);
        if (!stream) {
            return new Attempt.Completed(this, model, Chunks.completion(id, created, model, Chunks.assistant(answer), "stop", usage));
        }
        String finalAnswer = answer;
        return new Attempt.Streaming(this, model, new ChunkSource() {
            @Override
            public void pump(Consumer<ObjectNode> out) throws IOException {
                out.accept(Chunks.chunk(id, created, model, Chunks.roleDelta(), null));
                String[] words = finalAnswer.split("(?<= )");
                for (String word : words) {
                    out.accept(Chunks.chunk(id, created, model, Chunks.content(word), null));
                }
                out.accept(Chunks.chunk(id, created, model, Json.object(), "stop"));
                out.accept(Chunks.usageChunk(id, created, model, usage));
            }

            @Override
            public void cancel(Throwable cause) {
                // nothing runs in the background
            }
        });
    }

    @Override
    public Attempt embeddings(ObjectNode request, String model) {
        ObjectNode response = Json.object();
        response.put("object", "list");
        ArrayNode data = response.putArray("data");
        ObjectNode embedding = data.addObject();
        embedding.put("object", "embedding");
        embedding.put("index", 0);
        ArrayNode vector = embedding.putArray("embedding");
        String input = request.path("input").toString();
        for (int i = 0; i < 8; i++) {
            vector.add(((input.hashCode() >>> i) & 0xFF) / 255.0);
        }
        response.put("model", model);
        ObjectNode usage = response.putObject("usage");
        usage.put("prompt_tokens", words(input));
        usage.put("total_tokens", words(input));
        return new Attempt.Completed(this, model, response);
    }

    private static long words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
