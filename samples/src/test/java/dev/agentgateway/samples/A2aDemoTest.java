package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.test.FakeUpstream;
import org.junit.jupiter.api.Test;

class A2aDemoTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theEchoAgentIsReachableThroughTheGatewayAndListedInTheDirectory() throws Exception {
        try (FakeUpstream agent = EchoAgent.start();
             Gateway gateway = Gateway.builder().port(0).routes(A2aDemo.routes(agent.url())).start();
             HttpClient client = HttpClient.newHttpClient()) {
            String base = gateway.uri().toString().replaceAll("/$", "");
            JsonNode directory = JSON.readTree(client.send(HttpRequest.newBuilder(gateway.uri().resolve("/.well-known/agents")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(directory.at("/agents/0/name").asText()).isEqualTo("echo");
            assertThat(directory.at("/agents/0/card/supportedInterfaces/0/url").asText()).isEqualTo(base + "/agents/echo/rpc");

            String send = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":{\"message\":{\"messageId\":\"m1\","
                    + "\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"hello\"}]}}}";
            JsonNode sent = JSON.readTree(client.send(HttpRequest.newBuilder(gateway.uri().resolve("/agents/echo")).header("A2A-Version", "1.0")
                    .POST(HttpRequest.BodyPublishers.ofString(send.formatted("SendMessage"))).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(sent.at("/result/task/artifacts/0/parts/0/text").asText()).isEqualTo("echo: hello");

            String streamed = client.send(HttpRequest.newBuilder(gateway.uri().resolve("/agents/echo")).header("A2A-Version", "1.0")
                    .POST(HttpRequest.BodyPublishers.ofString(send.formatted("SendStreamingMessage"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(streamed.split("\n\n")).hasSize(4);
            assertThat(streamed).contains("TASK_STATE_COMPLETED").contains("echo: hello");
            assertThat(A2aDemo.instructions(gateway)).contains(base + "/.well-known/agents");
        }
    }
}
