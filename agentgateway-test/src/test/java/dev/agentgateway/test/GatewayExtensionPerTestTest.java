package dev.agentgateway.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.support.Eventually;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In instance fields, the extensions give each test its own upstream and gateway. */
class GatewayExtensionPerTestTest {
    private static final Set<Integer> ports = new HashSet<>();

    @RegisterExtension
    final FakeUpstream upstream = FakeUpstream.of(Fakes.canned(200, "fresh"));

    @RegisterExtension
    final GatewayExtension gateway = GatewayExtension.builder()
            .accessLog(false)
            .configure(g -> g.virtualThreads(false)
                    .route(Route.builder("thread").path("/thread").backend(e -> Response.text(200, "virtual=" + Thread.currentThread().isVirtual())))
                    .route(Route.builder("r").pathPrefix("/").backend(HttpBackend.of(upstream.url()))))
            .build();

    @RepeatedTest(3)
    void eachTestGetsAFreshGatewayAndUpstream() throws Exception {
        assertThat(ports.add(gateway.port())).as("a new gateway per test").isTrue();
        assertThat(upstream.requests()).isEmpty();
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("fresh");
        assertThat(upstream.requests()).hasSize(1);
        // the timer may be registered before the exchange's duration is recorded in it: wait for the count
        assertThat(Eventually.holds(() -> {
            var timer = gateway.meterRegistry().find("http.server.request.duration").timer();
            return timer != null && timer.count() == 1;
        })).as("one request recorded").isTrue();
    }

    @RepeatedTest(1)
    void platformThreadsCanBeChosenInstead() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/thread")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("virtual=false");
    }
}
