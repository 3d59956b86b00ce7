package dev.agentgateway.core.internal;

import dev.agentgateway.core.GatewayException;
import org.eclipse.jetty.io.Content;

/**
 * A request body that fails with 413 once more than {@code limit} bytes have been read, so that a
 * client cannot push an unbounded body through a route that declared a limit (also when it sends no
 * {@code Content-Length}).
 */
final class LimitedContentSource implements Content.Source {
    private final Content.Source delegate;
    private final long limit;
    private long read;

    LimitedContentSource(Content.Source delegate, long limit) {
        this.delegate = delegate;
        this.limit = limit;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = delegate.read();
        if (chunk == null || Content.Chunk.isFailure(chunk)) {
            return chunk;
        }
        read += chunk.remaining();
        if (read > limit) {
            chunk.release();
            GatewayException tooLarge = GatewayException.payloadTooLarge(limit);
            delegate.fail(tooLarge);
            return Content.Chunk.from(tooLarge, true);
        }
        return chunk;
    }

    @Override
    public long getLength() {
        return delegate.getLength();
    }

    @Override
    public void demand(Runnable demandCallback) {
        delegate.demand(demandCallback);
    }

    @Override
    public void fail(Throwable failure) {
        delegate.fail(failure);
    }

    @Override
    public void fail(Throwable failure, boolean last) {
        delegate.fail(failure, last);
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
