package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The OAuth demo end to end: the flow by hand with the JDK's client, and the commands it prints, run in bash with curl. */
class McpOAuthDemoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    static final String CALL = """
            {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"clock_now","arguments":{}}}""";

    @Test
    void aTokenForTheResourceWithTheRightScopeCallsATool() throws Exception {
        try (McpOAuthDemo demo = McpOAuthDemo.start(0, 0); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> refused = post(http, demo.mcpUrl(), null, null, INIT);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).as("a JSON-RPC error answering the request").contains("\"jsonrpc\":\"2.0\"", "\"id\":1");
            String challenge = refused.headers().firstValue("WWW-Authenticate").orElseThrow();
            assertThat(challenge).contains("resource_metadata=\"http://localhost:").contains("scope=\"tools:read\"");

            String metadataUrl = challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1");
            JsonNode metadata = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(metadata.path("resource").asText()).isEqualTo(demo.mcpUrl().toString());
            assertThat(metadata.path("authorization_servers").get(0).asText()).isEqualTo(demo.issuer());

            String readOnly = token(http, demo, "tools:read");
            HttpResponse<String> init = post(http, demo.mcpUrl(), readOnly, null, INIT);
            assertThat(init.statusCode()).as(init.body()).isEqualTo(200);
            String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
            HttpResponse<String> forbidden = post(http, demo.mcpUrl(), readOnly, session, CALL);
            assertThat(forbidden.statusCode()).isEqualTo(403);
            assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");

            String full = token(http, demo, "tools:read tools:call");
            HttpResponse<String> called = post(http, demo.mcpUrl(), full, session, CALL);
            assertThat(called.statusCode()).as(called.body()).isEqualTo(200);
            assertThat(called.body()).contains("\"text\":\"20"); // an ISO 8601 instant
        }
    }

    @Test
    void thePrintedCommandsWork() throws Exception {
        try (McpOAuthDemo demo = McpOAuthDemo.start(0, 0)) {
            Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", demo.commands()).redirectErrorStream(true).start();
            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).as("the commands finished").isTrue();
            String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.exitValue()).as(output).isZero();
            assertThat(output).contains("HTTP/1.1 401").contains("resource_metadata=")
                    .contains("\"authorization_servers\"").contains("\"text\":\"20");
        }
    }

    static String token(HttpClient http, McpOAuthDemo demo, String scope) throws Exception {
        String form = "grant_type=client_credentials&client_id=demo&client_secret=demo&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&resource=" + URLEncoder.encode(demo.mcpUrl().toString(), StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(demo.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asText();
    }

    static HttpResponse<String> post(HttpClient http, URI url, String token, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
