package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input gets a protocol-correct answer: JSON-RPC error codes, and the HTTP statuses of Streamable HTTP. */
class ProtocolErrorsTest {

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc")))
                    .maxMessageSize(4096)
                    .build())));

    private static RawMcpClient session() throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        client.initialize(RawMcpClient.object());
        return client;
    }

    private static JsonNode error(HttpResponse<String> response) {
        return RawMcpClient.parse(response.body()).path("error");
    }

    @Test
    void malformedJsonIsAParseError() throws Exception {
        try (RawMcpClient client = session()) {
            HttpResponse<String> response = client.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).path("code").asInt()).isEqualTo(-32700);
            assertThat(RawMcpClient.parse(response.body()).path("id").isNull()).isTrue();
            HttpResponse<String> trailing = client.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"} junk");
            assertThat(error(trailing).path("code").asInt()).isEqualTo(-32700);
        }
    }

    @Test
    void aMessageThatIsNotJsonRpcIsAnInvalidRequest() throws Exception {
        try (RawMcpClient client = session()) {
            HttpResponse<String> response = client.post("{\"id\":3,\"method\":\"tools/list\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(error(response).path("code").asInt()).isEqualTo(-32600);
            assertThat(RawMcpClient.parse(response.body()).path("id").asInt()).isEqualTo(3);
            HttpResponse<String> batch = client.post("[{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}]");
            assertThat(error(batch).path("code").asInt()).isEqualTo(-32600);
        }
    }

    @Test
    void unknownToolsAndPromptsAreInvalidParams() throws Exception {
        try (RawMcpClient client = session()) {
            JsonNode tool = client.call("tools/call", RawMcpClient.object().put("name", "nope"));
            assertThat(tool.path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(tool.path("error").path("message").asText()).startsWith("Unknown tool");
            JsonNode prompt = client.call("prompts/get", RawMcpClient.object().put("name", "nope"));
            assertThat(prompt.path("error").path("code").asInt()).isEqualTo(-32602);
        }
    }

    @Test
    void unknownMethodsAreMethodNotFound() throws Exception {
        try (RawMcpClient client = session()) {
            JsonNode response = client.call("tools/frobnicate", null);
            assertThat(response.path("error").path("code").asInt()).isEqualTo(-32601);
        }
    }

    @Test
    void aMessageOverTheSizeLimitIs413() throws Exception {
        try (RawMcpClient client = session()) {
            String big = "x".repeat(5000);
            HttpResponse<String> response = client.post(client.request("tools/call",
                    RawMcpClient.object().put("name", "calc_add").put("padding", big)));
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(error(response).path("code").asInt()).isEqualTo(-32600);
        }
    }

    /**
     * Without Content-Length the body is refused once the MCP limit is passed, not buffered up to the
     * route's limit: on a raw connection, the 413 arrives while the client is still holding back the end
     * of its chunked body.
     */
    @Test
    void aChunkedMessageOverTheSizeLimitIsRefusedBeforeItEnds() throws Exception {
        try (RawMcpClient client = session();
             java.net.Socket socket = new java.net.Socket("127.0.0.1", GATEWAY.port())) {
            socket.setSoTimeout(20_000);
            String chunk = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"padding\":\"" + "x".repeat(65_536);
            String head = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + GATEWAY.port() + "\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + client.sessionId() + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
            socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the last chunk is never sent: an answer now means the gateway did not wait for the whole body
            java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertThat(reader.readLine()).isEqualTo("HTTP/1.1 413 Payload Too Large");
        }
    }

    @Test
    void sessionsAreRequiredKnownAndEndWithDelete() throws Exception {
        try (RawMcpClient client = session()) {
            String id = client.sessionId();
            client.sessionId(null);
            assertThat(client.post(client.request("tools/list", null)).statusCode()).isEqualTo(400);
            client.sessionId("not-a-session");
            assertThat(client.post(client.request("tools/list", null)).statusCode()).isEqualTo(404);
            client.sessionId(id);
            HttpResponse<String> deleted = client.http().send(client.builder().DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(client.post(client.request("tools/list", null)).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void acceptContentTypeVersionAndOriginAreChecked() throws Exception {
        try (RawMcpClient client = session()) {
            String body = client.request("ping", null).toString();
            HttpResponse<String> noSse = client.http().send(client.builder().setHeader("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(noSse.statusCode()).isEqualTo(406);
            HttpResponse<String> text = client.http().send(client.builder().setHeader("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(text.statusCode()).isEqualTo(415);
            HttpResponse<String> version = client.http().send(client.builder().setHeader("MCP-Protocol-Version", "1999-01-01")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(version.statusCode()).isEqualTo(400);
            HttpResponse<String> evil = client.http().send(client.builder().header("Origin", "http://evil.example.com")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(evil.statusCode()).isEqualTo(403);
            HttpResponse<String> local = client.http().send(client.builder().header("Origin", "http://localhost:3000")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(local.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void notificationsAndResponsesAreAccepted() throws Exception {
        try (RawMcpClient client = session()) {
            HttpResponse<String> notification = client.post(RawMcpClient.notification("notifications/roots/list_changed", null));
            assertThat(notification.statusCode()).isEqualTo(202);
            HttpResponse<String> response = client.post(RawMcpClient.parse("{\"jsonrpc\":\"2.0\",\"id\":\"agw-unknown\",\"result\":{}}"));
            assertThat(response.statusCode()).isEqualTo(202);
        }
    }
}
