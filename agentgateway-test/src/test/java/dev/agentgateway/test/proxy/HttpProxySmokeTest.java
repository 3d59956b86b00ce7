package dev.agentgateway.test.proxy;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProxySmokeTest {
    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/", Fakes.echo())
            .handler("/events", Fakes.sse(Duration.ofMillis(100), "a", "b", "c"))
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("api").pathPrefix("/").backend(HttpBackend.of(upstream.url()))));

    @Test
    void proxiesAGet() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/hello?x=1")).build(), ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"path\":\"/hello\"").contains("\"query\":\"x=1\"");
    }

    @Test
    void proxiesAPost() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/p")).POST(HttpRequest.BodyPublishers.ofString("payload")).build(), ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"body\":\"payload\"");
    }

    @Test
    void relaysEvents() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(
                HttpRequest.newBuilder(gateway.uri("/events")).build(), ofString());
        assertThat(response.body()).isEqualTo("data: a\n\ndata: b\n\ndata: c\n\n");
    }
}
