package dev.agentgateway.llm.internal;

import java.io.IOException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A stream of OpenAI chunks being received from a provider. */
public interface ChunkSource {

    /**
     * Reads the provider's stream to its end on the calling thread, handing each translated chunk to
     * {@code out} as soon as it is complete. An {@link IOException} thrown by {@code out} (the client went
     * away) cancels the upstream request and is rethrown.
     */
    void pump(Consumer<ObjectNode> out) throws IOException;

    /** Aborts the upstream request (client disconnect, guard rejection). */
    void cancel(Throwable cause);
}
