package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.FakeMcpServer;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A session belongs to the principal that created it: presented by anyone else (another subject,
 * another scheme, an anonymous caller for an authenticated one's or the reverse) it is answered exactly
 * as an unknown session, and nothing reaches upstream.
 */
class SessionOwnerTest {
    static final String KEY = HexFormat.of().formatHex(new byte[32]).replace("00", "3c");
    static final FakeMcpServer SERVER = new FakeMcpServer("one", 2, 10);

    @RegisterExtension
    static final FakeUpstream UPSTREAM = FakeUpstream.of(SERVER);

    /** Two routes with one session key stand for two gateway replicas. */
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(route("mcp", "/mcp"))
            .route(route("replica", "/replica")));

    /** Authenticates from {@code X-Test-User: scheme:subject}, as an authentication policy would; no header is anonymous. */
    private static Route.Builder route(String name, String path) {
        return Route.builder(name).path(path)
                .policy((exchange, next) -> {
                    String user = exchange.requestHeaders().get("X-Test-User");
                    if (user != null) {
                        String[] parts = user.split(":", 2);
                        exchange.attribute(Principal.KEY, Principal.of(parts[1], parts[0]));
                    }
                    return next.proceed(exchange);
                })
                .backend(McpBackend.builder()
                        .target(McpTarget.streamableHttp("one", URI.create(UPSTREAM.url() + "/mcp")))
                        .sessionKeyHex(KEY)
                        .build());
    }

    private static RawMcpClient sessionOf(String user) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        if (user != null) {
            client.header("X-Test-User", user);
        }
        client.initialize(RawMcpClient.object());
        return client;
    }

    /** A client presenting {@code sessionId} as {@code user} ({@code null}: anonymous). */
    private static RawMcpClient presenting(String path, String sessionId, String user) {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri(path)).sessionId(sessionId);
        if (user != null) {
            client.header("X-Test-User", user);
        }
        return client;
    }

    private static ObjectNode toolCall(int id) {
        ObjectNode call = RawMcpClient.object();
        call.put("jsonrpc", "2.0").put("id", id).put("method", "tools/call");
        call.putObject("params").put("name", "tool0");
        return call;
    }

    /** The answer to a tools/call with a session id this gateway never issued. */
    private static HttpResponse<String> unknownSessionAnswer() throws Exception {
        try (RawMcpClient client = presenting("/mcp", "no-such-session", "jwt:alice")) {
            return client.post(toolCall(99));
        }
    }

    private static void assertAnsweredAsUnknown(HttpResponse<String> response) throws Exception {
        HttpResponse<String> unknown = unknownSessionAnswer();
        assertThat(response.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
        assertThat(response.headers().firstValue("Content-Type")).isEqualTo(unknown.headers().firstValue("Content-Type"));
        assertThat(response.body()).isEqualTo(unknown.body());
    }

    @Test
    void theCreatorKeepsUsingItsSession() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice")) {
            JsonNode result = alice.call("tools/call", RawMcpClient.object().put("name", "tool0"));
            assertThat(result.path("result").path("content").path(0).path("text").asText()).startsWith("one:tool0");
        }
    }

    @Test
    void anotherSubjectGetsTheUnknownSessionAnswerAndReachesNoUpstream() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice");
                RawMcpClient bob = presenting("/mcp", alice.sessionId(), "jwt:bob")) {
            int requests = SERVER.requests().size();
            assertAnsweredAsUnknown(bob.post(toolCall(99)));
            assertThat(SERVER.requests()).hasSize(requests);
        }
    }

    @Test
    void theSameSubjectUnderAnotherSchemeIsAnotherCaller() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice");
                RawMcpClient impostor = presenting("/mcp", alice.sessionId(), "api-key:alice")) {
            assertAnsweredAsUnknown(impostor.post(toolCall(99)));
        }
    }

    @Test
    void anAnonymousCallerCannotUseAnAuthenticatedSession() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice");
                RawMcpClient anonymous = presenting("/mcp", alice.sessionId(), null)) {
            assertAnsweredAsUnknown(anonymous.post(toolCall(99)));
        }
    }

    @Test
    void anAuthenticatedCallerCannotUseAnAnonymousSession() throws Exception {
        try (RawMcpClient anonymous = sessionOf(null);
                RawMcpClient alice = presenting("/mcp", anonymous.sessionId(), "jwt:alice")) {
            assertAnsweredAsUnknown(alice.post(toolCall(99)));
            JsonNode stillServed = anonymous.call("tools/call", RawMcpClient.object().put("name", "tool0"));
            assertThat(stillServed.has("result")).isTrue();
        }
    }

    @Test
    void anotherCallerCanNeitherListenOnNorEndTheSession() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice");
                RawMcpClient bob = presenting("/mcp", alice.sessionId(), "jwt:bob")) {
            HttpResponse<String> listen = bob.http().send(bob.builder().header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(listen.statusCode()).isEqualTo(404);
            HttpResponse<String> end = bob.http().send(bob.builder().DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(end.statusCode()).isEqualTo(404);
            JsonNode stillServed = alice.call("tools/call", RawMcpClient.object().put("name", "tool0"));
            assertThat(stillServed.has("result")).isTrue();
        }
    }

    @Test
    void theOwnerTravelsInTheSessionTokenToOtherReplicas() throws Exception {
        try (RawMcpClient alice = sessionOf("jwt:alice");
                RawMcpClient aliceElsewhere = presenting("/replica", alice.sessionId(), "jwt:alice");
                RawMcpClient bobElsewhere = presenting("/replica", alice.sessionId(), "jwt:bob")) {
            HttpResponse<String> refused = bobElsewhere.post(toolCall(99));
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(RawMcpClient.parse(refused.body()).path("error").path("message").asText()).isEqualTo("Session not found");
            HttpResponse<String> served = aliceElsewhere.http().send(aliceElsewhere.builder()
                    .POST(HttpRequest.BodyPublishers.ofString(toolCall(5).toString())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(RawMcpClient.message(served).path("result").path("content").path(0).path("text").asText()).startsWith("one:tool0");
        }
    }
}
