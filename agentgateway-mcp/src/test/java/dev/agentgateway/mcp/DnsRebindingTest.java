package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A page whose name was made to resolve to 127.0.0.1 reaches the gateway as a same-origin request: its
 * {@code Host} still names the attacker's domain, and that is refused (the {@code Origin} half is in
 * {@link ProtocolErrorsTest}).
 */
class DnsRebindingTest {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    private static McpBackend.Builder backend() {
        return McpBackend.builder().target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc")));
    }

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("default").path("/mcp").backend(backend().build()))
            .route(Route.builder("listed").path("/listed")
                    .backend(backend().allowedHosts("mcp.example.com", "tools.example.com:8443", "[fd00::1]:9000").build()))
            .route(Route.builder("any").path("/any").backend(backend().allowedHosts("*").build())));

    private static HttpClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = new HttpClient();
        client.start();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    /** Sends {@code method} to {@code path} on the gateway with the given {@code Host} header. */
    private static ContentResponse send(HttpMethod method, String path, String host) throws Exception {
        var request = client.newRequest(GATEWAY.uri(path)).method(method).timeout(10, TimeUnit.SECONDS)
                .headers(headers -> headers.put(HttpHeader.HOST, host)
                        .put(HttpHeader.ACCEPT, "application/json, text/event-stream"));
        if (method == HttpMethod.POST) {
            request.body(new StringRequestContent("application/json", INITIALIZE));
        }
        return request.send();
    }

    /** Asserts that {@code initialize} on {@code path} is answered with {@code status} for each {@code Host}. */
    private static void assertAnswered(int status, String path, String... hosts) throws Exception {
        for (String host : hosts) {
            assertThat(send(HttpMethod.POST, path, host).getStatus()).as(host).isEqualTo(status);
        }
    }

    @Test
    void aForeignHostIsRefusedAsTheOriginCheckRefuses() throws Exception {
        String host = "evil.example:" + GATEWAY.port();
        ContentResponse response = send(HttpMethod.POST, "/mcp", host);
        assertThat(response.getStatus()).isEqualTo(403);
        JsonNode body = RawMcpClient.parse(response.getContentAsString());
        assertThat(body.path("id").isNull()).isTrue();
        assertThat(body.path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(body.path("error").path("message").asText()).isEqualTo("Forbidden: Host '" + host + "' is not allowed");
    }

    @Test
    void aStreamCannotBeOpenedForAForeignHost() throws Exception {
        assertThat(send(HttpMethod.GET, "/mcp", "evil.example:" + GATEWAY.port()).getStatus()).isEqualTo(403);
        assertThat(send(HttpMethod.DELETE, "/mcp", "evil.example").getStatus()).isEqualTo(403);
    }

    @Test
    void loopbackNamesPassOnAnyPort() throws Exception {
        int port = GATEWAY.port();
        assertAnswered(200, "/mcp", "localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port, "LocalHost:" + port,
                "localhost", "127.0.0.1:1");
    }

    @Test
    void namesThatOnlyLookLocalAreRefused() throws Exception {
        assertAnswered(403, "/mcp", "localhost.evil.example", "127.0.0.1.nip.io", "evil.example");
    }

    @Test
    void listedHostsOnAnyPortPassBesidesTheLoopbackOnes() throws Exception {
        assertAnswered(200, "/listed", "mcp.example.com", "MCP.example.com:8080", "tools.example.com:8443",
                "[fd00::1]:9000", "localhost:" + GATEWAY.port());
    }

    @Test
    void aListedPortIsTheOnlyPortForThatHost() throws Exception {
        assertAnswered(403, "/listed", "tools.example.com:9000", "tools.example.com", "[fd00::1]:9001", "evil.example");
    }

    @Test
    void aWildcardAcceptsAnyHost() throws Exception {
        assertAnswered(200, "/any", "evil.example:" + GATEWAY.port());
    }
}
