package dev.agentgateway.core.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;

import dev.agentgateway.core.BlockingReads;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Blocker;

/**
 * Writes a {@link Response} to Jetty on the calling (virtual) thread. Streamed bodies are relayed
 * chunk by chunk and every write is sent before the next read, so nothing is buffered; if the client
 * goes away the upstream source is failed, which aborts the upstream exchange.
 */
final class ResponseSender {

    /** What happened while sending: bytes written and the failure, if any. */
    static final class Outcome {
        long bytes;
        Throwable failure;
        boolean committed;
        /** Whether the failure came from the body's producer (upstream), not from the client. */
        boolean producerFailed;
    }

    private ResponseSender() {
    }

    /**
     * Sends {@code response}; returns normally even when the client fails (the failure is in the outcome).
     * The caller completes the Jetty callback.
     */
    static Outcome send(Response response, Request request, org.eclipse.jetty.server.Response jetty) {
        Outcome outcome = new Outcome();
        jetty.setStatus(response.status());
        HttpFields.Mutable headers = jetty.getHeaders();
        for (var field : response.headers()) {
            headers.add(field);
        }
        boolean head = "HEAD".equals(request.getMethod());
        try {
            switch (response.body()) {
                case Body.Empty empty -> write(jetty, outcome, true, null);
                case Body.Bytes bytes -> {
                    if (!headers.contains(HttpHeader.CONTENT_LENGTH)) {
                        headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(bytes.length()));
                    }
                    write(jetty, outcome, true, head ? null : bytes.buffer().duplicate());
                }
                case Body.Stream stream -> relay(stream.source(), jetty, outcome);
                case Body.Writing writing -> produce(writing.writer(), jetty, outcome);
            }
        } catch (Throwable failure) {
            outcome.failure = failure;
        }
        return outcome;
    }

    private static void relay(Content.Source source, org.eclipse.jetty.server.Response jetty, Outcome outcome) throws IOException {
        while (true) {
            Content.Chunk chunk = BlockingReads.next(source);
            if (Content.Chunk.isFailure(chunk)) {
                Throwable cause = chunk.getFailure();
                outcome.producerFailed = true;
                throw cause instanceof IOException io ? io : new IOException("upstream body failed: " + cause, cause);
            }
            try {
                write(jetty, outcome, chunk.isLast(), chunk.getByteBuffer());
            } catch (IOException | RuntimeException e) {
                source.fail(e);
                throw e;
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                return;
            }
        }
    }

    private static void produce(Body.Writer writer, org.eclipse.jetty.server.Response jetty, Outcome outcome) throws Exception {
        Sink sink = new Sink(jetty, outcome);
        try {
            writer.writeTo(sink);
        } catch (Exception e) {
            outcome.producerFailed = sink.isOpen();
            throw e;
        }
        write(jetty, outcome, true, null);
    }

    private static void write(org.eclipse.jetty.server.Response jetty, Outcome outcome, boolean last, ByteBuffer buffer)
            throws IOException {
        int size = buffer == null ? 0 : buffer.remaining();
        try (Blocker.Callback callback = Blocker.callback()) {
            jetty.write(last, buffer, callback);
            outcome.committed = true;
            callback.block();
        } catch (InterruptedIOException e) {
            throw e;
        }
        outcome.bytes += size;
    }

    /** The sink handed to {@link Body.Writer}s. */
    private static final class Sink implements Body.Sink {
        private final org.eclipse.jetty.server.Response jetty;
        private final Outcome outcome;
        private boolean open = true;

        Sink(org.eclipse.jetty.server.Response jetty, Outcome outcome) {
            this.jetty = jetty;
            this.outcome = outcome;
        }

        @Override
        public void write(ByteBuffer bytes) throws IOException {
            if (!open) {
                throw new IOException("the client has gone away");
            }
            try {
                ResponseSender.write(jetty, outcome, false, bytes);
            } catch (IOException e) {
                open = false;
                throw e;
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }
}
