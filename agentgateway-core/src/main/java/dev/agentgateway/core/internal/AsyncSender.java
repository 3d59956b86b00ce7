package dev.agentgateway.core.internal;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.agentgateway.core.Body;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * Writes a {@link Response} to Jetty without blocking: bytes in one write, streams with
 * {@link Content#copy} (each chunk written as it arrives; a client that goes away fails the source,
 * which aborts the upstream exchange). {@link Body.Writing} bodies block by nature and are not sent here.
 */
final class AsyncSender {
    private AsyncSender() {
    }

    static boolean canSend(Response response) {
        return !(response.body() instanceof Body.Writing);
    }

    /** Sends {@code response}; {@code done} receives the outcome once, from any thread. */
    static void send(Response response, Request request, org.eclipse.jetty.server.Response jetty,
                     Consumer<ResponseSender.Outcome> done) {
        ResponseSender.Outcome outcome = new ResponseSender.Outcome();
        jetty.setStatus(response.status());
        HttpFields.Mutable headers = jetty.getHeaders();
        for (var field : response.headers()) {
            headers.add(field);
        }
        Callback callback = Callback.from(() -> done.accept(outcome), failure -> {
            outcome.failure = failure;
            done.accept(outcome);
        });
        switch (response.body()) {
            case Body.Empty empty -> {
                outcome.committed = true;
                jetty.write(true, null, callback);
            }
            case Body.Bytes bytes -> {
                if (!headers.contains(HttpHeader.CONTENT_LENGTH)) {
                    headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(bytes.length()));
                }
                boolean head = "HEAD".equals(request.getMethod());
                ByteBuffer buffer = head ? null : bytes.buffer().duplicate();
                outcome.committed = true;
                outcome.bytes = buffer == null ? 0 : buffer.remaining();
                jetty.write(true, buffer, callback);
            }
            case Body.Stream stream -> {
                boolean[] clientFailed = new boolean[1];
                Content.Sink counting = (last, buffer, writeCallback) -> {
                    outcome.committed = true;
                    outcome.bytes += buffer == null ? 0 : buffer.remaining();
                    jetty.write(last, buffer, Callback.from(writeCallback::succeeded, failure -> {
                        clientFailed[0] = true;
                        writeCallback.failed(failure);
                    }));
                };
                // Content.copy fails the source when a write fails, which aborts the upstream exchange.
                Content.copy(stream.source(), counting, Callback.from(() -> done.accept(outcome), failure -> {
                    outcome.failure = failure;
                    outcome.producerFailed = !clientFailed[0];
                    done.accept(outcome);
                }));
            }
            case Body.Writing writing -> throw new IllegalStateException("a writer body is sent on a virtual thread");
        }
    }
}
