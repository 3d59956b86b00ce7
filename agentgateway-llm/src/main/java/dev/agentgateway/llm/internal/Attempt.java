package dev.agentgateway.llm.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one provider answered: a complete response, or a stream whose first chunk has arrived; in the
 * internal (OpenAI) form, or untranslated when client and provider both speak Anthropic Messages.
 */
public sealed interface Attempt {

    ProviderRuntime provider();

    /** The model name sent upstream. */
    String model();

    /** A complete {@code chat.completion} (or embeddings list). */
    record Completed(ProviderRuntime provider, String model, ObjectNode response) implements Attempt {
    }

    /** A stream ready to be read. */
    record Streaming(ProviderRuntime provider, String model, ChunkSource chunks) implements Attempt {
    }

    /** An Anthropic Messages answer passed through untranslated (same dialect as the client's). */
    record AnthropicMessage(ProviderRuntime provider, String model, ObjectNode message) implements Attempt {
    }

    /** An Anthropic event stream passed through untranslated: each item is an event's data (with its {@code type}). */
    record AnthropicStream(ProviderRuntime provider, String model, ChunkSource events) implements Attempt {
    }
}
