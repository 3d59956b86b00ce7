package dev.agentgateway.a2a.internal;

import org.eclipse.jetty.io.Content;

/** A content source that shows every chunk to an {@link AnswerObserver} on its way through, unchanged and unbuffered. */
final class ObservedSource implements Content.Source {
    private final Content.Source delegate;
    private final AnswerObserver observer;

    ObservedSource(Content.Source delegate, AnswerObserver observer) {
        this.delegate = delegate;
        this.observer = observer;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk = delegate.read();
        if (chunk != null && !Content.Chunk.isFailure(chunk)) {
            if (chunk.hasRemaining()) {
                observer.bytes(chunk.getByteBuffer().slice());
            }
            if (chunk.isLast()) {
                observer.end();
            }
        }
        return chunk;
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
    public long getLength() {
        return delegate.getLength();
    }

    @Override
    public boolean rewind() {
        return false;
    }
}
