package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.SseStream;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streams pass through event by event, byte for byte, uncompressed, and end upstream when the client goes. */
class StreamingTest {
    private static final String STREAM = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendStreamingMessage\",\"params\":{\"message\":"
            + "{\"messageId\":\"m1\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hi\"}]}}}";

    private static String event(String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + result + "}";
    }

    /** Raw bytes as an agent might write them: CRLF line ends, a comment, id and event fields, multi-line data, UTF-8. */
    private static final String RAW = ": hello\r\n\r\nid: 1\r\nevent: message\r\ndata: "
            + event("{\"task\":{\"id\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}")
            + "\r\n\r\ndata: " + event("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}")
            + "\n\ndata: " + event("{\"artifactUpdate\":{\"taskId\":\"t1\",\"artifact\":{\"artifactId\":\"a\",\"parts\":[{\"text\":\"Grüße ✓\"}]}}}")
            + "\n\ndata: " + event("{\"statusUpdate\":{\"taskId\":\"t1\",\"contextId\":\"c1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}")
            + "\n\n";

    private static FakeHandler raw() {
        return (request, response) -> {
            response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
            byte[] bytes = RAW.getBytes(StandardCharsets.UTF_8);
            int third = bytes.length / 3;
            response.write(java.util.Arrays.copyOfRange(bytes, 0, third));
            response.write(java.util.Arrays.copyOfRange(bytes, third, 2 * third));
            response.write(java.util.Arrays.copyOfRange(bytes, 2 * third, bytes.length));
        };
    }

    static final SseStream paced = new SseStream();
    static final SseStream abandoned = new SseStream();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/raw", raw())
            .handler("/paced", Fakes.sse(paced))
            .handler("/abandoned", Fakes.sse(abandoned))
            .handler("/quiet", Fakes.sse(Duration.ofMillis(2500),
                    event("{\"task\":{\"id\":\"q\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}"),
                    event("{\"statusUpdate\":{\"taskId\":\"q\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}")))
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .idleTimeout(Duration.ofSeconds(1))
            .route(Route.builder("raw").pathPrefix("/agents/raw").backend(A2aBackend.builder().url(upstream.url() + "/raw").jsonRpcPath("/").build()))
            .route(Route.builder("paced").pathPrefix("/agents/paced").backend(A2aBackend.builder().url(upstream.url() + "/paced").jsonRpcPath("/").build()))
            .route(Route.builder("abandoned").pathPrefix("/agents/abandoned").backend(A2aBackend.builder().url(upstream.url() + "/abandoned").jsonRpcPath("/").build()))
            .route(Route.builder("quiet").pathPrefix("/agents/quiet").backend(A2aBackend.builder().url(upstream.url() + "/quiet").jsonRpcPath("/").build())));

    private HttpRequest stream(String agent) {
        return HttpRequest.newBuilder(gateway.uri("/agents/" + agent)).header("Content-Type", "application/json")
                .header("A2A-Version", "1.0").header("Accept", "text/event-stream").header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build();
    }

    @Test
    void bytesPassUnchangedAndUncompressedWithProxyBufferingOff() throws Exception {
        HttpResponse<byte[]> response = gateway.httpClient().send(stream("raw"), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(RAW);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(response.headers().firstValue("X-Accel-Buffering")).hasValue("no");
        assertThat(upstream.lastRequest().header("Accept-Encoding")).isNull();
    }

    @Test
    void eachEventReachesTheClientBeforeTheAgentSendsTheNext() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(stream("paced"), HttpResponse.BodyHandlers.ofInputStream());
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.startsWith("data:")) {
                        lines.add(line);
                    }
                }
            } catch (Exception e) {
                lines.add("failed: " + e);
            }
        });
        assertThat(paced.awaitConnected(Duration.ofSeconds(5))).isTrue();
        String[] states = {"TASK_STATE_SUBMITTED", "TASK_STATE_WORKING", "TASK_STATE_COMPLETED"};
        for (String state : states) {
            String data = event("{\"statusUpdate\":{\"taskId\":\"p\",\"status\":{\"state\":\"" + state + "\"}}}");
            paced.send(data);
            // The next event is only sent once this one has arrived: a buffering gateway would stall here.
            assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("data: " + data);
        }
        Gauge active = gateway.meterRegistry().find("a2a.active.streams").tag("agent", "paced").gauge();
        assertThat(active).isNotNull();
        assertThat(active.value()).isEqualTo(1.0);
        paced.end();
        assertThat(paced.awaitFinished(Duration.ofSeconds(5))).isTrue();
        awaitCount("a2a.requests", "paced");
        assertThat(active.value()).isZero();
        assertThat(gateway.meterRegistry().find("a2a.stream.events").tag("agent", "paced").tag("event_kind", "status_update")
                .counter().count()).isEqualTo(3.0);
        assertThat(gateway.meterRegistry().find("a2a.task.states").tag("agent", "paced").tag("state", "completed")
                .counter().count()).isEqualTo(1.0);
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("agent", "paced").tag("method", "SendStreamingMessage")
                .tag("outcome", "success").counter()).isNotNull();
    }

    @Test
    void aClientThatGoesAwayEndsTheUpstreamCall() throws Exception {
        HttpResponse<InputStream> response = gateway.httpClient().send(stream("abandoned"), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(abandoned.awaitConnected(Duration.ofSeconds(5))).isTrue();
        abandoned.send(event("{\"task\":{\"id\":\"x\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}"));
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        do {
            line = reader.readLine();
        } while (line != null && !line.startsWith("data:"));
        assertThat(line).startsWith("data:");
        response.body().close();
        assertThat(abandoned.awaitFinished(Duration.ofSeconds(10))).as("the agent's stream ends").isTrue();
        assertThat(abandoned.clientGone()).as("the gateway went away from the agent").isTrue();
    }

    @Test
    void aStreamSilentForLongerThanTheConnectionIdleTimeoutIsNotCut() throws Exception {
        // The gateway's client connections idle out after 1 s here; the agent is silent for 2.5 s between events.
        HttpResponse<String> response = gateway.httpClient().send(stream("quiet"), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("TASK_STATE_WORKING").contains("TASK_STATE_COMPLETED");
    }

    private void awaitCount(String meter, String agent) throws InterruptedException {
        for (int i = 0; i < 200 && gateway.meterRegistry().find(meter).tag("agent", agent).counter() == null; i++) {
            Thread.sleep(25);
        }
    }
}
