package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every failure a client can cause or meet gets a clear answer with the right status. */
class ProxyErrorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DEAD_PORT = freePort();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/", Fakes.countBody())
            .handler("/slow", Fakes.slow(Duration.ofSeconds(3), Fakes.canned(200, "late")))
            .handler("/trickle", (request, response) -> {
                response.status(200).header("Content-Type", "text/plain").write("a");
                Thread.sleep(2000);
                response.write("b");
            })
            .handler("/drop", Fakes.dropConnection())
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .maxRequestBodySize(1000)
            .route(Route.builder("refused").pathPrefix("/refused")
                    .backend(HttpBackend.builder().name("nowhere").endpoint("http://127.0.0.1:" + DEAD_PORT).build()))
            .route(Route.builder("slow").pathPrefix("/slow")
                    .backend(HttpBackend.builder().endpoint(upstream.url()).responseHeadersTimeout(Duration.ofMillis(300)).build()))
            .route(Route.builder("trickle").pathPrefix("/trickle")
                    .backend(HttpBackend.builder().endpoint(upstream.url()).idleTimeout(Duration.ofMillis(500)).build()))
            .route(Route.builder("total").pathPrefix("/total/slow")
                    .rewritePath(dev.agentgateway.core.PathRewrite.replacePrefix("/slow"))
                    .backend(HttpBackend.builder().endpoint(upstream.url()).totalTimeout(Duration.ofMillis(400)).build()))
            .route(Route.builder("totalBody").pathPrefix("/total/trickle")
                    .rewritePath(dev.agentgateway.core.PathRewrite.replacePrefix("/trickle"))
                    .backend(HttpBackend.builder().endpoint(upstream.url()).totalTimeout(Duration.ofMillis(1000)).build()))
            .route(Route.builder("drop").pathPrefix("/drop").backend(HttpBackend.builder().endpoint(upstream.url()).retries(0).build()))
            .route(Route.builder("bigger").pathPrefix("/bigger").maxRequestBodySize(5000).backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("upload").pathPrefix("/").backend(HttpBackend.of(upstream.url()))));

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return JSON.readTree(response.body()).get("error");
    }

    @Test
    void aRefusedConnectionIs502AndCounted() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/refused/x")));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response).get("message").asText()).contains("nowhere").contains("cannot connect");
        Counter failures = gateway.meterRegistry().find("agentgateway.upstream.connect.failures").tag("gateway.backend", "nowhere").counter();
        assertThat(failures).isNotNull();
        assertThat(failures.count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aConnectionThatCannotBeEstablishedInTimeIs504() throws Exception {
        // A listener that never accepts, with its accept queue filled: further SYNs are dropped, so
        // connecting hangs, as with an unreachable host, but on loopback.
        try (ServerSocket stalled = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.util.List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket filler = new java.net.Socket();
                    try {
                        filler.connect(stalled.getLocalSocketAddress(), 200);
                        fillers.add(filler);
                    } catch (java.io.IOException queueFull) {
                        filler.close();
                        break;
                    }
                }
                try (dev.agentgateway.core.Gateway stalledGateway = dev.agentgateway.core.Gateway.builder().port(0)
                        .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                        .route(Route.builder("stalled").backend(HttpBackend.builder()
                                .endpoint("http://127.0.0.1:" + stalled.getLocalPort()).retries(0)
                                .connectTimeout(Duration.ofMillis(300)).build())).start()) {
                    HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(stalledGateway.uri()).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(504);
                    assertThat(error(response).get("message").asText()).contains("timed out");
                }
            } finally {
                for (java.net.Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void anUpstreamThatDoesNotAnswerInTimeIs504() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/slow")));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).get("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void anUpstreamSilentMidBodyIsCutByTheIdleTimeout() throws Exception {
        HttpResponse<java.io.InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/trickle")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void theTotalTimeoutGives504BeforeHeaders() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/total/slow")));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(error(response).get("code").asText()).isEqualTo("upstream_timeout");
    }

    @Test
    void theTotalTimeoutCutsABodyStillStreaming() throws Exception {
        HttpResponse<java.io.InputStream> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/total/trickle")).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void anUpstreamThatDropsTheConnectionIs502() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/drop")));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(error(response).get("code").asText()).isEqualTo("bad_gateway");
    }

    @Test
    void aDeclaredBodyOverTheLimitIs413BeforeTheUpstreamIsCalled() throws Exception {
        upstream.reset();
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/up"))
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(1001))));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response).get("code").asText()).isEqualTo("payload_too_large");
        assertThat(upstream.requests()).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/up"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new StreamingTest.PatternStream(100_000))));
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void aBodyWithinTheLimitPasses() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/up")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(1000))));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("1000");
    }

    @Test
    void aRouteCanRaiseTheLimit() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/bigger")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(4000))));
        assertThat(response.body()).isEqualTo("4000");
    }
}
