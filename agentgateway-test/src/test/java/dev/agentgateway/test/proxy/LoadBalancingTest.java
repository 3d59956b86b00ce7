package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several endpoints: weighted round robin, least request, retries and passive health checks. */
class LoadBalancingTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final HttpClient client = TestClients.jdk();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
        client.close();
    }

    private FakeUpstream upstream(String name) {
        FakeUpstream upstream = FakeUpstream.of(Fakes.canned(200, name)).start();
        resources.add(upstream);
        return upstream;
    }

    private Gateway gateway(HttpBackend backend) {
        Gateway gateway = Gateway.builder().port(0).accessLog(false)
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .route(Route.builder("lb").pathPrefix("/").backend(backend)).start();
        resources.add(gateway);
        return gateway;
    }

    private String get(Gateway gateway, String method) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x"))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    private static String deadUrl() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void weightedRoundRobinSpreadsRequestsByWeight() throws Exception {
        FakeUpstream a = upstream("a");
        FakeUpstream b = upstream("b");
        Gateway gateway = gateway(HttpBackend.builder().endpoint(a.url(), 3).endpoint(b.url(), 1).build());
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(get(gateway, "GET"));
        }
        assertThat(answers).filteredOn(s -> s.equals("200 a")).hasSize(6);
        assertThat(answers).filteredOn(s -> s.equals("200 b")).hasSize(2);
        // Smooth round robin interleaves rather than sending bursts: never three b's... and no run of more than 3 a's.
        assertThat(String.join(",", answers)).doesNotContain("200 a,200 a,200 a,200 a");
    }

    @Test
    void leastRequestAvoidsTheBusyEndpoint() throws Exception {
        CountDownLatch busyRelease = new CountDownLatch(1);
        CountDownLatch idleGate = new CountDownLatch(1);
        FakeUpstream busy = FakeUpstream.of((request, response) -> {
            busyRelease.await(30, TimeUnit.SECONDS);
            response.status(200).write("busy");
        }).start();
        resources.add(busy);
        FakeUpstream idle = FakeUpstream.of((request, response) -> {
            idleGate.await(30, TimeUnit.SECONDS);
            response.status(200).write("idle");
        }).start();
        resources.add(idle);
        Gateway gateway = gateway(HttpBackend.builder().endpoint(busy.url()).endpoint(idle.url())
                .loadBalancing(HttpBackend.LoadBalancing.LEAST_REQUEST).build());
        // Four requests held by both endpoints: least request spreads them two and two.
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(client.sendAsync(HttpRequest.newBuilder(gateway.uri().resolve("/x")).build(), HttpResponse.BodyHandlers.ofString()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (busy.activeRequests() + idle.activeRequests() < i + 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(busy.activeRequests()).isEqualTo(2);
        // The idle endpoint finishes its two; the busy one keeps two in flight, so it always has more.
        idleGate.countDown();
        // Wait until the idle endpoint's two answers have reached the client, so its in-flight count is down
        // again (under load the first request below could otherwise still see a tie of two and two).
        long released = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.stream().filter(CompletableFuture::isDone).count() < 2 && System.nanoTime() < released) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(get(gateway, "GET")).isEqualTo("200 idle");
        }
        busyRelease.countDown();
        for (CompletableFuture<HttpResponse<String>> future : pending) {
            assertThat(future.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void idempotentRequestsAreRetriedOnAnotherEndpointWhenTheConnectionFails() throws Exception {
        FakeUpstream alive = upstream("alive");
        Gateway gateway = gateway(HttpBackend.builder().endpoint(deadUrl()).endpoint(alive.url()).build());
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway, "GET")).isEqualTo("200 alive");
        }
    }

    @Test
    void nonIdempotentRequestsAreNotRetried() throws Exception {
        FakeUpstream alive = upstream("alive");
        Gateway gateway = gateway(HttpBackend.builder().endpoint(deadUrl()).endpoint(alive.url()).build());
        // Round robin starts with the first endpoint, the dead one.
        assertThat(get(gateway, "POST")).startsWith("502");
    }

    @Test
    void anEndpointFailingRepeatedlyIsEjectedForTheCooldown() throws Exception {
        FakeUpstream failing = FakeUpstream.of(Fakes.canned(503, "down")).start();
        resources.add(failing);
        FakeUpstream healthy = upstream("up");
        Gateway gateway = gateway(HttpBackend.builder().endpoint(failing.url()).endpoint(healthy.url())
                .passiveHealthCheck(2, Duration.ofMinutes(5)).build());
        for (int i = 0; i < 4; i++) {
            get(gateway, "GET");
        }
        int before = failing.requests().size();
        assertThat(before).isEqualTo(2);
        for (int i = 0; i < 6; i++) {
            assertThat(get(gateway, "GET")).isEqualTo("200 up");
        }
        assertThat(failing.requests()).hasSize(before);
    }

    @Test
    void anEjectedEndpointComesBackAfterTheCooldown() throws Exception {
        FakeUpstream failing = FakeUpstream.of(Fakes.canned(503, "down")).start();
        resources.add(failing);
        FakeUpstream healthy = upstream("up");
        Gateway gateway = gateway(HttpBackend.builder().endpoint(failing.url()).endpoint(healthy.url())
                .passiveHealthCheck(1, Duration.ofMillis(300)).build());
        get(gateway, "GET");
        assertThat(failing.requests()).hasSize(1);
        Thread.sleep(400);
        for (int i = 0; i < 4; i++) {
            get(gateway, "GET");
        }
        assertThat(failing.requests().size()).isGreaterThan(1);
    }

    @Test
    void whenEveryEndpointIsEjectedAllAreTriedAgain() throws Exception {
        FakeUpstream failing = FakeUpstream.of(Fakes.canned(500, "boom")).start();
        resources.add(failing);
        Gateway gateway = gateway(HttpBackend.builder().endpoint(failing.url()).endpoint(failing.url().replace("127.0.0.1", "localhost"))
                .passiveHealthCheck(1, Duration.ofMinutes(5)).build());
        for (int i = 0; i < 4; i++) {
            assertThat(get(gateway, "GET")).isEqualTo("500 boom");
        }
        assertThat(failing.requests()).hasSize(4);
    }
}
