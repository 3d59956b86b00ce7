package dev.agentgateway.llm.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** What one provider answered: a complete response, or a stream whose headers said 200. */
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
}
