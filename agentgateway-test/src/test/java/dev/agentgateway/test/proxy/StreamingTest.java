package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.SseStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies stream both ways: events arrive one by one, large bodies pass in constant memory. */
class StreamingTest {
    private static final long ONE_GIB = 1L << 30;

    private final SseStream stream = new SseStream();

    @RegisterExtension
    final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/events", Fakes.sse(stream))
            .handler("/upload", Fakes.countBody())
            .handler("/echo", Fakes.streamingEcho())
            .handler("/download", Fakes.bytes(ONE_GIB))
            .handler("/dies", Fakes.dieMidResponse("partial", 1000))
            .build();

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.of(g -> g
            .maxRequestBodySize(2 * ONE_GIB)
            .route(Route.builder("all").pathPrefix("/").backend(HttpBackend.of(upstream.url()))));

    @Test
    void eachEventReachesTheClientBeforeTheUpstreamSendsTheNext() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(stream.awaitConnected(Duration.ofSeconds(5))).isTrue();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (int i = 0; i < 5; i++) {
                stream.send("event-" + i);
                // The next event is only sent once this one has been read through the gateway.
                assertThat(nextData(reader)).isEqualTo("event-" + i);
            }
            stream.end();
            assertThat(nextData(reader)).isNull();
        }
    }

    private static String nextData(BufferedReader reader) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.startsWith("data: ")) {
                return line.substring(6);
            }
        }
        return null;
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamExchange() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.awaitConnected(Duration.ofSeconds(5))).isTrue();
        stream.send("first");
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(nextData(reader)).isEqualTo("first");
        response.body().close();
        // The gateway notices at its next write and aborts the upstream exchange, which ends the upstream handler.
        assertThat(stream.awaitFinished(Duration.ofSeconds(10))).isTrue();
        assertThat(stream.clientGone()).isTrue();
        awaitNoActiveUpstreamRequests();
    }

    @Test
    void aGibibyteUploadStreamsThroughInConstantMemory() throws Exception {
        // The tests run with a 384 MiB heap: buffering this body anywhere would fail.
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(ONE_GIB)), ONE_GIB))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(Long.toString(ONE_GIB));
    }

    @Test
    void aGibibyteDownloadStreamsThroughInConstantMemory() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/download")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(ONE_GIB);
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
            }
        }
        assertThat(total).isEqualTo(ONE_GIB);
    }

    @Test
    void aChunkedBodyIsEchoedBackWhileItIsStillBeingSent() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/echo"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(5_000_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).hasSize(5_000_000).startsWith("abcdefghij");
    }

    @Test
    void anUpstreamThatDiesMidResponseEndsTheClientResponse() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/dies")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> {
            try (InputStream in = response.body()) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
        awaitNoActiveUpstreamRequests();
    }

    private void awaitNoActiveUpstreamRequests() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.activeRequests() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.activeRequests()).isZero();
    }

    /** {@code size} bytes of a-z, generated on the fly. */
    static final class PatternStream extends InputStream {
        private long left;
        private int position;

        PatternStream(long size) {
            this.left = size;
        }

        @Override
        public int read() {
            if (left <= 0) {
                return -1;
            }
            left--;
            return 'a' + position++ % 26;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(length, left);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ('a' + position++ % 26);
            }
            left -= n;
            return n;
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }
}
