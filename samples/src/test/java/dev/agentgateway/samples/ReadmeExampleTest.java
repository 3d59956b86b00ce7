package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import org.junit.jupiter.api.Test;

/** Compiles and runs the example of README.md, so that it stays honest. Keep the two in step. */
class ReadmeExampleTest {

    @Test
    void readmeExampleRuns() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.echo()).start()) {
            String upstreamUrl = upstream.url();
            // --- README example begins ---
            try (Gateway gateway = Gateway.builder()
                    .port(0)                                            // 0 = ephemeral, as in tests
                    .route(Route.builder("health").path("/healthz")
                            .backend(DirectResponse.of(200, "ok")))
                    .route(Route.builder("api").pathPrefix("/api")
                            .rewritePath(PathRewrite.stripPrefix())     // /api/users -> /users
                            .backend(HttpBackend.of(upstreamUrl)))      // streams both ways, SSE included
                    .start()) {
                URI base = gateway.uri();                               // http://127.0.0.1:PORT/
                // --- README example ends ---
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(base.resolve("/api/users")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"path\":\"/users\"");
            }
        }
    }
}
