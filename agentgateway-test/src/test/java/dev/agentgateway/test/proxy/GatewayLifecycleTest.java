package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.support.Eventually;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

/** Start, drain and stop; isolation between gateways; meters and observations. */
class GatewayLifecycleTest {
    private final HttpClient client = TestClients.jdk();

    private static Gateway.Builder gateway(Route.Builder route) {
        return Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).route(route);
    }

    @Test
    void closeLetsRequestsInFlightFinishThenRefusesConnections() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.slow(Duration.ofMillis(800), Fakes.canned(200, "finished"))).start()) {
            Gateway gateway = gateway(Route.builder("slow").pathPrefix("/").backend(HttpBackend.of(upstream.url())))
                    .shutdownGracePeriod(Duration.ofSeconds(5)).start();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                    HttpRequest.newBuilder(gateway.uri()).build(), HttpResponse.BodyHandlers.ofString());
            while (upstream.activeRequests() == 0) {
                Thread.sleep(10);
            }
            gateway.close();
            HttpResponse<String> response = inFlight.get(5, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
            assertThat(gateway.isRunning()).isFalse();
            assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(gateway.uri()).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(ConnectException.class);
            gateway.close(); // idempotent
        }
    }

    @Test
    void backendsAreBoundOnStartAndClosedOnClose() {
        AtomicInteger bound = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        Backend lifecycle = new Backend() {
            @Override
            public Response handle(Exchange exchange) {
                return Response.text(200, "ok");
            }

            @Override
            public Backend bind(GatewayContext context) {
                bound.incrementAndGet();
                return new Backend() {
                    @Override
                    public Response handle(Exchange exchange) {
                        return Response.text(200, "bound");
                    }

                    @Override
                    public void close() {
                        closed.incrementAndGet();
                    }
                };
            }
        };
        Gateway first = gateway(Route.builder("r").backend(lifecycle)).start();
        Gateway second = gateway(Route.builder("r").backend(lifecycle)).start();
        assertThat(bound.get()).isEqualTo(2);
        first.close();
        assertThat(closed.get()).isEqualTo(1);
        second.close();
        assertThat(closed.get()).isEqualTo(2);
    }

    @Test
    void twoGatewaysInOneJvmShareNothing() throws Exception {
        SimpleMeterRegistry registryA = new SimpleMeterRegistry();
        SimpleMeterRegistry registryB = new SimpleMeterRegistry();
        try (Gateway a = Gateway.builder().port(0).name("a").meterRegistry(registryA)
                     .route(Route.builder("r").backend(DirectResponse.of(200, "from a"))).start();
             Gateway b = Gateway.builder().port(0).name("b").meterRegistry(registryB)
                     .route(Route.builder("r").backend(DirectResponse.of(200, "from b"))).start()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            assertThat(client.send(HttpRequest.newBuilder(a.uri()).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("from a");
            assertThat(client.send(HttpRequest.newBuilder(b.uri()).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("from b");
            a.close();
            assertThat(client.send(HttpRequest.newBuilder(b.uri()).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("from b");
            assertThat(Eventually.holds(() -> registryB.find("http.server.request.duration").timer().count() == 2)).isTrue();
            assertThat(registryA.find("http.server.request.duration").timer().count()).isEqualTo(1);
        }
    }

    @Test
    void aPortInUseIsAClearError() {
        try (Gateway first = gateway(Route.builder("r").backend(DirectResponse.of(200, "x"))).start()) {
            Gateway.Builder second = Gateway.builder().port(first.port()).route(Route.builder("r").backend(DirectResponse.of(200, "x")));
            assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class).hasMessageContaining("could not bind")
                    .hasMessageContaining(Integer.toString(first.port()));
        }
    }

    @Test
    void startingTwiceIsAnError() {
        try (Gateway gateway = gateway(Route.builder("r").backend(DirectResponse.of(200, "x"))).start()) {
            assertThatThrownBy(gateway::start).hasMessageContaining("already started");
        }
    }

    @Test
    void requestsAreTimedByRouteBackendMethodAndStatusClass() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.canned(201, "made")).start();
             Gateway gateway = Gateway.builder().port(0).name("metered").meterRegistry(registry)
                     .route(Route.builder("api").pathPrefix("/api").backend(HttpBackend.builder().name("svc").endpoint(upstream.url()).build()))
                     .start()) {
            client.send(HttpRequest.newBuilder(gateway.uri().resolve("/api/x")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            client.send(HttpRequest.newBuilder(gateway.uri().resolve("/missing")).build(), HttpResponse.BodyHandlers.ofString());
            Eventually.holds(() -> registry.find("http.server.request.duration").timers().size() == 2);
            Timer created = registry.find("http.server.request.duration").tags("gateway", "metered", "http.route", "api",
                    "gateway.backend", "svc", "http.request.method", "POST", "http.response.status_class", "2xx").timer();
            assertThat(created).isNotNull();
            assertThat(created.count()).isEqualTo(1);
            Timer notFound = registry.find("http.server.request.duration").tags("http.route", "none",
                    "http.response.status_class", "4xx", "error.type", "route_not_found").timer();
            assertThat(notFound.count()).isEqualTo(1);
            Timer upstreamTimer = registry.find("http.client.request.duration").tags("gateway.backend", "svc",
                    "http.response.status_code", "201").timer();
            assertThat(upstreamTimer.count()).isEqualTo(1);
            LongTaskTimer active = registry.find("http.server.active_requests").tag("http.route", "api").longTaskTimer();
            assertThat(active.activeTasks()).isZero();
        }
    }

    @Test
    void activeRequestsAreVisibleWhileServed() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.slow(Duration.ofMillis(500), Fakes.canned(200, "ok"))).start();
             Gateway gateway = Gateway.builder().port(0).meterRegistry(registry)
                     .route(Route.builder("slow").backend(HttpBackend.of(upstream.url()))).start()) {
            CompletableFuture<HttpResponse<String>> pending = client.sendAsync(HttpRequest.newBuilder(gateway.uri()).build(),
                    HttpResponse.BodyHandlers.ofString());
            while (upstream.activeRequests() == 0) {
                Thread.sleep(10);
            }
            assertThat(registry.find("http.server.active_requests").tag("http.route", "slow").longTaskTimer().activeTasks()).isEqualTo(1);
            pending.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestsAreObservedWhenAnObservationRegistryIsGiven() throws Exception {
        TestObservationRegistry observations = TestObservationRegistry.create();
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        observations.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
            @Override
            public void onStop(io.micrometer.observation.Observation.Context context) {
                stopped.countDown();
            }

            @Override
            public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
                return true;
            }
        });
        try (Gateway gateway = Gateway.builder().port(0).meterRegistry(new SimpleMeterRegistry()).observationRegistry(observations)
                .route(Route.builder("observed").backend(DirectResponse.of(200, "ok"))).start()) {
            client.send(HttpRequest.newBuilder(gateway.uri().resolve("/x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
            // The observation stops on the gateway's thread as the client reads the answer; the test
            // registry records the stop after the handlers run, so wait for it rather than race it.
            Eventually.holds(() -> {
                try {
                    TestObservationRegistryAssert.assertThat(observations).hasObservationWithNameEqualTo("http.server.request")
                            .that().hasBeenStopped();
                    return true;
                } catch (AssertionError notYet) {
                    return false;
                }
            });
            TestObservationRegistryAssert.assertThat(observations)
                    .hasObservationWithNameEqualTo("http.server.request")
                    .that()
                    .hasLowCardinalityKeyValue("http.route", "observed")
                    .hasLowCardinalityKeyValue("http.request.method", "GET")
                    .hasLowCardinalityKeyValue("http.response.status_code", "200")
                    .hasBeenStarted()
                    .hasBeenStopped();
        }
    }
}
