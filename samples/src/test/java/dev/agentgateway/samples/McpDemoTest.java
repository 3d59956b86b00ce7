package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class McpDemoTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(McpDemo.route()));

    private static HttpResponse<String> post(HttpClient http, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(GATEWAY.uri("/mcp"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theDemoFederatesTwoInProcessServers() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> init = post(http, null, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
            assertThat(init.statusCode()).isEqualTo(200);
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> tools = post(http, session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            assertThat(tools.body()).contains("\"clock_now\"", "\"notes_add\"", "\"notes_list\"");
            post(http, session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"notes_add\",\"arguments\":{\"text\":\"buy milk\"}}}");
            HttpResponse<String> list = post(http, session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"notes_list\",\"arguments\":{}}}");
            assertThat(list.body()).contains("buy milk");
        }
    }
}
