package dev.agentgateway.llm.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.eclipse.jetty.io.Content;

/**
 * Reads a whole provider answer on the HTTP client's own threads, chunk by chunk as it arrives, and
 * completes a future with its bytes. A non-streamed call then waits once, for the whole answer, instead
 * of parking its virtual thread for the headers and again for each chunk of the body.
 *
 * <p>Past {@code limit} bytes it either fails the source and the future with {@code tooLarge}
 * ({@code strict}, made only then) or completes with the first {@code limit} bytes. When not strict a failed body
 * completes empty: only an error's message is read that way.
 */
final class BodyCollector implements Runnable {
    private final Content.Source source;
    private final int limit;
    private final boolean strict;
    private final Supplier<RuntimeException> tooLarge;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private byte[] bytes = new byte[1024];
    private int size;

    private BodyCollector(Content.Source source, int limit, boolean strict, Supplier<RuntimeException> tooLarge) {
        this.source = source;
        this.limit = limit;
        this.strict = strict;
        this.tooLarge = tooLarge;
    }

    /** Starts reading {@code source}; {@code tooLarge} is the failure of a strict read past the limit. */
    static CompletableFuture<byte[]> collect(Content.Source source, int limit, boolean strict,
                                            Supplier<RuntimeException> tooLarge) {
        BodyCollector collector = new BodyCollector(source, limit, strict, tooLarge);
        collector.run();
        return collector.result;
    }

    @Override
    public void run() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                if (!chunk.isLast()) {
                    continue; // a transient failure, such as an idle-timeout notice
                }
                if (strict) {
                    result.completeExceptionally(chunk.getFailure());
                } else {
                    result.complete(new byte[0]); // an error body that failed: its message is lost, not half-read
                }
                return;
            }
            boolean full;
            try {
                full = append(chunk.getByteBuffer());
            } finally {
                chunk.release();
            }
            if (full && strict) {
                source.fail(new java.io.IOException("too large"));
                result.completeExceptionally(tooLarge.get());
                return;
            }
            if (full || chunk.isLast()) {
                result.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
                return;
            }
        }
    }

    /** Appends a chunk up to the limit; true when the chunk went past it. */
    private boolean append(ByteBuffer buffer) {
        int n = buffer.remaining();
        boolean over = (long) size + n > limit;
        if (over) {
            n = limit - size;
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + n, bytes.length * 2)));
        }
        buffer.get(bytes, size, n);
        size += n;
        return over || !strict && size >= limit;
    }
}
