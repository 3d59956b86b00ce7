package dev.agentgateway.core;

import java.io.IOException;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Blocker;

/**
 * Reading a Jetty {@link Content.Source} (an upstream body, a {@link Body.Stream}) on the calling
 * thread. Backends run on virtual threads, where waiting for the next chunk costs no platform thread.
 *
 * <pre>{@code
 * while (true) {
 *     Content.Chunk chunk = BlockingReads.next(source);
 *     if (Content.Chunk.isFailure(chunk)) {
 *         throw new IOException("body failed", chunk.getFailure());
 *     }
 *     try {
 *         consume(chunk.getByteBuffer());
 *     } finally {
 *         chunk.release();
 *     }
 *     if (chunk.isLast()) {
 *         break;
 *     }
 * }
 * }</pre>
 */
public final class BlockingReads {
    private BlockingReads() {
    }

    /**
     * The next chunk, waiting for one if none is ready: data (to release once used), the end, or a
     * failure that ends the source. A failure that does not end it (such as an idle-timeout notice) is
     * skipped, so that it does not end a stream that is only quiet.
     *
     * @throws IOException if waiting is interrupted
     */
    public static Content.Chunk next(Content.Source source) throws IOException {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                try (Blocker.Runnable demand = Blocker.runnable()) {
                    source.demand(demand);
                    demand.block();
                }
                continue;
            }
            if (Content.Chunk.isFailure(chunk) && !chunk.isLast()) {
                continue;
            }
            return chunk;
        }
    }
}
