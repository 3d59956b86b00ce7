package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import org.junit.jupiter.api.Test;

/** The LLM demo answers offline, and picks real providers only when their keys are set. */
class LlmDemoTest {

    @Test
    void answersOfflineWithTheEchoModelAndMasksEmails() throws Exception {
        try (Gateway gateway = Gateway.builder().port(0).route(LlmDemo.offlineRoute()).start();
             HttpClient client = HttpClient.newHttpClient()) {
            URI uri = gateway.uri().resolve("v1/chat/completions");
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hello from bob@example.com\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"content\":\"hello from <EMAIL>\"").contains("\"object\":\"chat.completion\"");

            HttpResponse<String> stream = client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"fast\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"one two three\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(stream.body()).contains("\"content\":\"one \"").contains("\"content\":\"three\"").endsWith("data: [DONE]\n\n");
        }
    }

    @Test
    void aProviderKeyAddsTheRealProviderInFrontOfTheEchoModel() {
        Route route = LlmDemo.route(Map.of("ANTHROPIC_API_KEY", "sk-ant-test")::get);
        var backend = (dev.agentgateway.llm.LlmBackend) route.backend();
        assertThat(backend.providers()).extracting(p -> p.name()).containsExactly("mock", "anthropic");
        assertThat(backend.aliases().get("fast")).extracting(Object::toString).containsExactly("anthropic/claude-haiku-4-5", "mock/echo");
    }
}
