package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import org.junit.jupiter.api.Test;

class QuickstartTest {

    @Test
    void everyRouteThePrintedCommandsUseAnswers() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.builder().handler("/", Fakes.echo()).build().start();
             FakeUpstream echoAgent = EchoAgent.start();
             Gateway gateway = Gateway.builder().port(0).routes(Quickstart.routes(upstream.url()))
                     .routes(A2aDemo.routes(echoAgent.url())).route(LlmDemo.offlineRoute()).route(McpDemo.route()).start();
             HttpClient client = HttpClient.newHttpClient()) {
            assertThat(Quickstart.instructions(gateway)).contains(gateway.uri().toString().replaceAll("/$", "") + "/healthz");
            HttpResponse<String> health = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).isEqualTo("ok\n");
            HttpResponse<String> api = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/api/hello?name=you")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.body()).contains("\"path\":\"/hello\"").contains("\"x-gateway\":[\"agentgateway\"]");
            HttpResponse<String> missing = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/nowhere")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(Quickstart.instructions(gateway)).contains("/agents/echo");
            HttpResponse<String> agents = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/.well-known/agents")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(agents.statusCode()).isEqualTo(200);
            assertThat(agents.body()).contains(gateway.uri().resolve("/agents/echo").toString());
            assertThat(Quickstart.instructions(gateway)).contains("/v1/chat/completions");
            HttpResponse<String> chat = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/v1/chat/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.body()).contains("chat.completion");
            assertThat(Quickstart.instructions(gateway)).contains("clock_now");
            HttpResponse<String> initialize = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(initialize.statusCode()).isEqualTo(200);
            assertThat(initialize.headers().firstValue("Mcp-Session-Id")).isPresent();
        }
    }
}
