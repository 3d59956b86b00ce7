package dev.agentgateway.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** The whole-answer reader: chunks that arrive later, the strict limit, the cut limit, failures. */
class BodyCollectorTest {
    private static final IllegalStateException TOO_LARGE = new IllegalStateException("too large");

    private static void write(AsyncContent content, String text, boolean last) {
        content.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    }

    @Test
    void collectsChunksThatArriveAfterItStarted() throws Exception {
        AsyncContent content = new AsyncContent();
        CompletableFuture<byte[]> body = BodyCollector.collect(content, 1024, true, () -> TOO_LARGE);
        assertThat(body).isNotDone();
        write(content, "{\"a\":", false);
        assertThat(body).isNotDone();
        write(content, "1}", true);
        assertThat(new String(body.get(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void aStrictReadPastTheLimitFailsTheSourceAndTheFuture() {
        AsyncContent content = new AsyncContent();
        CompletableFuture<byte[]> body = BodyCollector.collect(content, 4, true, () -> TOO_LARGE);
        write(content, "12345", false);
        assertThatThrownBy(body::get).isInstanceOf(ExecutionException.class).hasCause(TOO_LARGE);
        assertThat(Content.Chunk.isFailure(content.read())).isTrue();
    }

    @Test
    void exactlyTheLimitIsNotTooLarge() throws Exception {
        AsyncContent content = new AsyncContent();
        CompletableFuture<byte[]> body = BodyCollector.collect(content, 4, true, () -> TOO_LARGE);
        write(content, "1234", true);
        assertThat(body.get()).hasSize(4);
    }

    @Test
    void aLenientReadIsCutAtTheLimit() throws Exception {
        AsyncContent content = new AsyncContent();
        CompletableFuture<byte[]> body = BodyCollector.collect(content, 4, false, () -> TOO_LARGE);
        write(content, "12", false);
        write(content, "3456", false);
        assertThat(new String(body.get(), StandardCharsets.UTF_8)).isEqualTo("1234");
    }

    @Test
    void aFailedBodyFailsAStrictReadAndEmptiesALenientOne() throws Exception {
        IOException reset = new IOException("reset");
        AsyncContent strict = new AsyncContent();
        CompletableFuture<byte[]> failed = BodyCollector.collect(strict, 1024, true, () -> TOO_LARGE);
        write(strict, "{\"partial\"", false);
        strict.fail(reset);
        assertThatThrownBy(failed::get).isInstanceOf(ExecutionException.class).hasCause(reset);

        AsyncContent lenient = new AsyncContent();
        CompletableFuture<byte[]> empty = BodyCollector.collect(lenient, 1024, false, () -> TOO_LARGE);
        write(lenient, "{\"partial\"", false);
        lenient.fail(reset);
        assertThat(empty.get()).isEmpty();
    }
}
