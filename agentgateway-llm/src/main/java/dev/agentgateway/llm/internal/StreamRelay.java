package dev.agentgateway.llm.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import dev.agentgateway.core.Body;
import dev.agentgateway.llm.internal.guard.StreamGuard;

/** What every streaming endpoint does around relaying a provider's stream to its client. */
final class StreamRelay {
    private StreamRelay() {
    }

    /** The relaying itself, which may find the client gone. */
    interface Relay {
        void run() throws IOException;
    }

    /**
     * Commits the response headers (the client knows the stream is open before the first token), then
     * runs {@code relay}. A client that went away cancels the upstream stream and is recorded as
     * {@code client_gone}; the accounting is finished whatever happens.
     */
    static void run(Body.Sink sink, ChunkSource upstream, RequestAccounting accounting, Relay relay) throws IOException {
        String errorType = null;
        try {
            sink.write(ByteBuffer.allocate(0));
            relay.run();
        } catch (ClientGone gone) {
            errorType = "client_gone";
            upstream.cancel(gone.getCause());
            throw gone.getCause();
        } catch (IOException e) {
            errorType = "client_gone";
            throw e;
        } finally {
            accounting.finish(errorType);
        }
    }

    /** Pumps OpenAI chunks through the response guards, noting the usage of each that is not an error. */
    static void guarded(ChunkSource chunks, RequestAccounting accounting, StreamGuard guarded) throws IOException {
        chunks.pump(chunk -> {
            if (!chunk.has("error")) {
                accounting.observe(chunk, true);
            }
            guarded.accept(chunk);
        });
        guarded.finish();
    }
}
