package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP semantics a reverse proxy must keep: HEAD, bodiless statuses, redirects, 100-continue, raw queries. */
class ProxySemanticsTest {

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/", Fakes.echo())
            .handler("/doc", Fakes.canned(200, Map.of("Content-Type", "text/plain", "ETag", "\"v1\""), "0123456789"))
            .handler("/empty", (request, response) -> response.status(204).header("X-Empty", "yes"))
            .handler("/cached", (request, response) -> response.status(304).header("ETag", "\"v1\""))
            .handler("/moved", (request, response) -> response.status(302).header("Location", "/elsewhere").header("Content-Length", "0"))
            .handler("/upload", Fakes.countBody())
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("all").pathPrefix("/").backend(HttpBackend.of(upstream.url()))));

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/doc")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("10");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(response.body()).isEmpty();
        // The connection is still usable afterwards.
        assertThat(send(HttpRequest.newBuilder(gateway.uri("/doc"))).body()).isEqualTo("0123456789");
    }

    @Test
    void bodilessStatusesPassThrough() throws Exception {
        HttpResponse<String> noContent = send(HttpRequest.newBuilder(gateway.uri("/empty")));
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.headers().firstValue("X-Empty")).hasValue("yes");
        HttpResponse<String> notModified = send(HttpRequest.newBuilder(gateway.uri("/cached")).header("If-None-Match", "\"v1\""));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(upstream.lastRequest().header("If-None-Match")).isEqualTo("\"v1\"");
    }

    @Test
    void redirectsAreRelayedNotFollowed() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/moved")));
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue("/elsewhere");
    }

    @Test
    void expectContinueUploadsWork() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/upload")).expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(50_000))));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("50000");
    }

    @Test
    void rawQueriesAndRepeatedParametersAreKept() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/search?q=a%20b%26c&tag=1&tag=2&empty=")));
        assertThat(response.body()).contains("\"query\":\"q=a%20b%26c&tag=1&tag=2&empty=\"");
    }

    @Test
    void requestBodiesOfEveryMethodArrive() throws Exception {
        for (String method : new String[] {"PUT", "PATCH", "DELETE"}) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(gateway.uri("/m")).method(method, HttpRequest.BodyPublishers.ofString("body-" + method)));
            assertThat(response.body()).contains("\"method\":\"" + method + "\"").contains("\"body\":\"body-" + method + "\"");
        }
    }
}
