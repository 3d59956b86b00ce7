package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A policy that refuses a request on an MCP route answers the client with a JSON-RPC error, keeping the HTTP status. */
class PolicyRefusalsTest {
    static final FakeMcpServer SERVER = new FakeMcpServer("one", 2, 10);

    @RegisterExtension
    static final FakeUpstream UPSTREAM = FakeUpstream.of(SERVER);

    /** Refuses every request that carries {@code X-Refuse}, as an authentication policy refuses a bad token. */
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .policy((exchange, next) -> {
                        if (exchange.requestHeaders().get("X-Refuse") == null) {
                            return next.proceed(exchange);
                        }
                        return exchange.errorResponse(new GatewayException(401, "unauthorized", "Token expired"))
                                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    })
                    .backend(McpBackend.builder()
                            .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM.url() + "/mcp")))
                            .build())));

    private static HttpResponse<String> refused(RawMcpClient client, HttpRequest.Builder request) throws Exception {
        return client.http().send(request.header("X-Refuse", "yes").build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRefusedRequestGetsAJsonRpcErrorWithItsIdTheStatusAndTheChallenge() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            client.initialize(RawMcpClient.object());
            int calls = SERVER.requests().size();
            ObjectNode call = client.request("tools/call", RawMcpClient.object().put("name", "tool0"));
            HttpResponse<String> response = refused(client, client.builder().POST(HttpRequest.BodyPublishers.ofString(call.toString())));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
            JsonNode body = RawMcpClient.parse(response.body());
            assertThat(body.path("jsonrpc").asText()).isEqualTo("2.0");
            assertThat(body.path("id")).isEqualTo(call.get("id"));
            assertThat(body.path("error").path("code").asInt()).isEqualTo(-32000);
            assertThat(body.path("error").path("message").asText()).isEqualTo("Token expired");
            assertThat(body.path("error").path("data").path("status").asInt()).isEqualTo(401);
            assertThat(body.path("error").path("data").path("code").asText()).isEqualTo("unauthorized");
            assertThat(SERVER.requests()).hasSize(calls);
        }
    }

    @Test
    void aRefusedInitializeStartsNoUpstreamSession() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            int initializes = SERVER.initializes();
            ObjectNode initialize = client.request("initialize", RawMcpClient.object().put("protocolVersion", "2025-11-25"));
            HttpResponse<String> response = refused(client, client.builder().POST(HttpRequest.BodyPublishers.ofString(initialize.toString())));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Mcp-Session-Id")).isEmpty();
            assertThat(RawMcpClient.parse(response.body()).path("id")).isEqualTo(initialize.get("id"));
            assertThat(SERVER.initializes()).isEqualTo(initializes);
        }
    }

    @Test
    void aRefusalWithoutARequestBodyHasANullId() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            HttpResponse<String> response = refused(client, client.builder().header("Accept", "text/event-stream").GET());

            assertThat(response.statusCode()).isEqualTo(401);
            JsonNode body = RawMcpClient.parse(response.body());
            assertThat(body.has("id")).isTrue();
            assertThat(body.path("id").isNull()).isTrue();
            assertThat(body.path("error").path("data").path("status").asInt()).isEqualTo(401);
        }
    }

    @Test
    void aNotificationThatIsRefusedIsAnsweredWithANullId() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            client.initialize(RawMcpClient.object());
            String notification = RawMcpClient.notification("notifications/roots/list_changed", null).toString();
            HttpResponse<String> response = refused(client, client.builder().POST(HttpRequest.BodyPublishers.ofString(notification)));

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(RawMcpClient.parse(response.body()).path("id").isNull()).isTrue();
        }
    }
}
