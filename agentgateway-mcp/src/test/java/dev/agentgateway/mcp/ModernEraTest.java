package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ConformanceFixture;
import dev.agentgateway.mcp.support.ModernHttp;
import dev.agentgateway.mcp.support.ModernHttp.Answer;
import dev.agentgateway.mcp.support.NodeScript;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.TestPrincipals;
import dev.agentgateway.mcp.support.SdkHttpServer;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The modern (2026-07-28) face in front of a legacy target (the MCP Java SDK conformance fixture):
 * stateless requests checked and served, server-initiated requests bridged to MRTR rounds whose
 * {@code requestState} cannot be forged, replayed or used by another caller, and legacy clients on
 * the same endpoint. The official TypeScript SDK v2 client speaks both eras.
 */
class ModernEraTest {
    static final SdkHttpServer FIXTURE = new SdkHttpServer(ConformanceFixture::build);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .policy(TestPrincipals.fromHeader())
            .backend(McpBackend.builder().target(McpTarget.streamableHttp("fixture", FIXTURE.uri())).build())));

    private final ModernHttp modern = new ModernHttp(GATEWAY.uri("/mcp"));

    @AfterAll
    static void stop() throws Exception {
        FIXTURE.close();
    }

    @Test
    void typeScriptClientSpeaksModernThenLegacyAndEveryInputRoundIsBridged() throws Exception {
        JsonNode out = NodeScript.run("ts-modern-client.mjs", 180, GATEWAY.uri("/mcp").toString());
        assertThat(out.path("era").asText()).isEqualTo("modern");
        assertThat(out.path("version").asText()).isEqualTo("2026-07-28");
        assertThat(out.path("discover").path("supportedVersions").toString()).contains("2026-07-28", "2025-11-25");
        assertThat(out.path("tools").toString()).contains("test_elicitation", "test_sampling");
        assertThat(out.path("simple").asText()).isEqualTo("This is a simple text response for testing.");
        assertThat(out.path("elicitation").asText()).startsWith("User response: action=accept").contains("user-for-Who are you?");
        assertThat(out.path("sampling").asText()).isEqualTo("LLM response: echo hello");
        // two rounds in one call: the target's sampling request, then its elicitation
        assertThat(out.path("multiRound").asText()).startsWith("sampled=echo pick a name, action=accept");
        for (int i = 0; i < 24; i++) {
            assertThat(out.path("concurrent").get(i).asText()).as("concurrent call %d got its own answer", i)
                    .contains("user-for-round-" + i + ",");
        }
        for (JsonNode exchange : out.path("modernWire")) {
            assertThat(exchange.path("session").isNull()).as("modern requests carry no session: %s", exchange).isTrue();
            assertThat(exchange.path("version").asText()).isEqualTo("2026-07-28");
            assertThat(exchange.path("status").asInt()).isEqualTo(200);
        }
        long retries = 0;
        for (JsonNode exchange : out.path("modernWire")) {
            retries += exchange.path("hasState").asBoolean() ? 1 : 0;
        }
        assertThat(retries).as("1 + 1 + 2 + 24 retries carried a requestState").isEqualTo(28);
        assertThat(out.path("legacyEra").asText()).isEqualTo("legacy");
        assertThat(out.path("legacyElicitation").asText()).contains("user-for-legacy");
    }

    @Test
    void discoverAnswersTheFederatedView() throws Exception {
        JsonNode result = post(request(1, "server/discover", RawMcpClient.object()), null).body().path("result");
        assertThat(result.path("resultType").asText()).isEqualTo("complete");
        assertThat(result.path("supportedVersions").get(0).asText()).isEqualTo("2026-07-28");
        assertThat(result.path("capabilities").has("tools")).isTrue();
        assertThat(result.path("capabilities").has("prompts")).isTrue();
        assertThat(result.path("_meta").path("io.modelcontextprotocol/serverInfo").path("name").asText()).isEqualTo("agentgateway");
        assertThat(result.path("ttlMs").asInt()).isZero();
        assertThat(result.path("cacheScope").asText()).isEqualTo("private");
    }

    @Test
    void headersAndMetaAreCheckedAsTheSpecSays() throws Exception {
        ObjectNode list = request(7, "tools/list", RawMcpClient.object());
        assertRefused(post(list, Map.of("MCP-Protocol-Version", "")), 400, -32020);
        ObjectNode wrongVersion = list.deepCopy();
        meta(wrongVersion).put("io.modelcontextprotocol/protocolVersion", "v999.0.0");
        assertRefused(post(wrongVersion, Map.of("MCP-Protocol-Version", "2026-07-28")), 400, -32020); // header and body differ
        Answer unsupported = post(wrongVersion, Map.of("MCP-Protocol-Version", "v999.0.0"));
        assertRefused(unsupported, 400, -32022);
        assertThat(unsupported.body().path("error").path("data").path("requested").asText()).isEqualTo("v999.0.0");
        assertThat(unsupported.body().path("error").path("data").path("supported").toString()).contains("2026-07-28");
        ObjectNode noCapabilities = list.deepCopy();
        meta(noCapabilities).remove("io.modelcontextprotocol/clientCapabilities");
        assertRefused(post(noCapabilities, null), 400, -32602);
        ObjectNode noClientInfo = list.deepCopy();
        meta(noClientInfo).remove("io.modelcontextprotocol/clientInfo");
        assertThat(post(noClientInfo, null).status()).isEqualTo(200);
        assertRefused(post(list, Map.of("Mcp-Method", "prompts/list")), 400, -32020);
        assertRefused(post(list, Map.of("Mcp-Method", "TOOLS/LIST")), 400, -32020);
        ObjectNode call = request(8, "tools/call", RawMcpClient.object().put("name", "test_simple_text"));
        assertRefused(post(call, Map.of("Mcp-Name", "other_tool")), 400, -32020);
        assertThat(post(call, Map.of("Mcp-Name", "  test_simple_text  ")).status()).isEqualTo(200);
        for (String removed : List.of("initialize", "ping", "logging/setLevel", "resources/subscribe", "unknown/method")) {
            assertRefused(post(request(9, removed, RawMcpClient.object()), null), 404, -32601);
        }
    }

    @Test
    void mirroredArgumentsMustMatchTheBody() throws Exception {
        ObjectNode call = request(3, "tools/call", RawMcpClient.object().put("name", "test_custom_header"));
        ((ObjectNode) call.get("params")).putObject("arguments").put("region", "Hello, 世界");
        assertThat(post(call, Map.of("Mcp-Param-Region", "=?base64?SGVsbG8sIOS4lueVjA==?=")).body()
                .path("result").path("content").get(0).path("text").asText()).isEqualTo("region: Hello, 世界");
        assertRefused(post(call, Map.of("Mcp-Param-Region", "elsewhere")), 400, -32020);
        assertRefused(post(call, Map.of()), 400, -32020);
        ((ObjectNode) call.path("params").path("arguments")).put("region", "Hello");
        assertThat(post(call, Map.of("Mcp-Param-Region", "=?base64?SGVsbG8=?=")).status()).isEqualTo(200);
        assertRefused(post(call, Map.of("Mcp-Param-Region", "=?base64?SGVsbG8?=")), 400, -32020); // padding is not optional
        assertRefused(post(call, Map.of("Mcp-Param-Region", "=?base64?SGVs!!!bG8=?=")), 400, -32020);
    }

    @Test
    void requestStateCannotBeForgedReplayedMovedOrTakenByAnotherCaller() throws Exception {
        ObjectNode call = request(20, "tools/call", RawMcpClient.object().put("name", "test_elicitation"));
        ((ObjectNode) call.get("params")).putObject("arguments").put("message", "who?");
        JsonNode first = post(call, Map.of("X-Test-User", "alice")).body().path("result");
        assertThat(first.path("resultType").asText()).isEqualTo("input_required");
        String key = first.path("inputRequests").fieldNames().next();
        assertThat(first.path("inputRequests").path(key).path("method").asText()).isEqualTo("elicitation/create");
        assertThat(first.path("inputRequests").path(key).path("params").path("message").asText()).isEqualTo("who?");
        String state = first.path("requestState").asText();

        ObjectNode tampered = retry(call, 21, state + "-TAMPERED", key);
        assertInvalidState(post(tampered, Map.of("X-Test-User", "alice")));
        assertInvalidState(post(retry(call, 22, state, key), Map.of("X-Test-User", "mallory")));
        assertInvalidState(post(retry(call, 23, state, key), null));
        ObjectNode otherArguments = retry(call, 24, state, key);
        ((ObjectNode) otherArguments.path("params").path("arguments")).put("message", "something else");
        assertInvalidState(post(otherArguments, Map.of("X-Test-User", "alice")));

        // without the answer, the same question again under a new state
        ObjectNode unanswered = retry(call, 25, state, key);
        ((ObjectNode) unanswered.get("params")).remove("inputResponses");
        JsonNode again = post(unanswered, Map.of("X-Test-User", "alice")).body().path("result");
        assertThat(again.path("resultType").asText()).isEqualTo("input_required");
        assertThat(again.path("inputRequests").has(key)).isTrue();
        String next = again.path("requestState").asText();
        assertThat(next).isNotEqualTo(state);
        assertInvalidState(post(retry(call, 26, state, key), Map.of("X-Test-User", "alice"))); // the old state is spent

        JsonNode done = post(retry(call, 27, next, key), Map.of("X-Test-User", "alice")).body();
        assertThat(done.path("id").asInt()).isEqualTo(27);
        assertThat(done.path("result").path("resultType").asText()).isEqualTo("complete");
        assertThat(done.path("result").path("content").get(0).path("text").asText()).contains("username=ann");
        assertInvalidState(post(retry(call, 28, next, key), Map.of("X-Test-User", "alice"))); // the call is over
    }

    @Test
    void logMessagesReachOnlyRequestsThatAskForThemAndProgressStreams() throws Exception {
        ObjectNode quiet = request(30, "tools/call", RawMcpClient.object().put("name", "test_logging_tool"));
        Answer silent = post(quiet, null);
        assertThat(silent.raw()).doesNotContain("notifications/message").contains("Logging tool executed");

        ObjectNode loud = quiet.deepCopy();
        meta(loud).put("io.modelcontextprotocol/logLevel", "info");
        Answer logged = post(loud, null);
        assertThat(logged.contentType()).startsWith("text/event-stream");
        assertThat(logged.raw()).contains("notifications/message", "Logging tool started", "Logging tool executed");

        ObjectNode progress = request(31, "tools/call", RawMcpClient.object().put("name", "test_tool_with_progress"));
        meta(progress).put("progressToken", "tok-1");
        Answer streamed = post(progress, null);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        assertThat(streamed.raw()).contains("\"progressToken\":\"tok-1\"", "\"resultType\":\"complete\"");
    }

    @Test
    void aMissingResourceIsInvalidParamsAndListsCarryCachingHints() throws Exception {
        ObjectNode read = request(40, "resources/read", RawMcpClient.object().put("uri", "test://nope"));
        JsonNode error = post(read, null).body().path("error");
        assertThat(error.path("code").asInt()).isEqualTo(-32602);
        JsonNode list = post(request(41, "prompts/list", RawMcpClient.object()), null).body().path("result");
        assertThat(list.path("prompts").size()).isPositive();
        assertThat(list.path("ttlMs").isIntegralNumber()).isTrue();
        assertThat(list.path("cacheScope").asText()).isEqualTo("private");
    }

    @Test
    void aModernRequestCarryingALegacySessionIdIsLegacyTrafficAndRefused() throws Exception {
        try (RawMcpClient legacy = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            legacy.initialize(RawMcpClient.object());
            ObjectNode list = request(50, "tools/list", RawMcpClient.object());
            // a session id makes it legacy traffic (dual-era rule 4): its 2026-07-28 version is not the session's
            Answer crossed = post(list, Map.of("Mcp-Session-Id", legacy.sessionId()));
            assertRefused(crossed, 400, -32000);
            assertThat(crossed.body().path("error").path("message").asText()).contains("this session speaks 2025-11-25");
            assertRefused(post(list, Map.of("Mcp-Session-Id", "not-a-session")), 404, -32001);
            // the session is unharmed
            assertThat(legacy.call("tools/list", null).path("result").path("tools").size()).isPositive();
        }
    }

    @Test
    void responsesAndNotificationsHaveNoPlaceOnTheModernPath() throws Exception {
        ObjectNode notification = RawMcpClient.object();
        notification.put("jsonrpc", "2.0").put("method", "notifications/cancelled");
        notification.putObject("params").put("requestId", 1).set("_meta", meta());
        assertThat(post(notification, null).status()).isEqualTo(202);
        ObjectNode response = RawMcpClient.object();
        response.put("jsonrpc", "2.0").put("id", "agw-s1").putObject("result");
        assertRefused(post(response, Map.of("MCP-Protocol-Version", "2026-07-28")), 400, -32600);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static ObjectNode meta() {
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("elicitation");
        return ModernHttp.meta(capabilities);
    }

    private static ObjectNode meta(ObjectNode request) {
        return (ObjectNode) request.path("params").path("_meta");
    }

    private static ObjectNode request(int id, String method, ObjectNode params) {
        return ModernHttp.request(id, method, params, meta());
    }

    private static ObjectNode retry(ObjectNode call, int id, String state, String key) {
        ObjectNode retry = call.deepCopy();
        retry.put("id", id);
        ObjectNode params = (ObjectNode) retry.get("params");
        params.put("requestState", state);
        ObjectNode answer = params.putObject("inputResponses").putObject(key);
        answer.put("action", "accept");
        answer.putObject("content").put("username", "ann").put("email", "ann@example.com");
        return retry;
    }

    private Answer post(ObjectNode message, Map<String, String> overrides) throws Exception {
        return modern.post(message, overrides);
    }

    private static void assertRefused(Answer answer, int status, int code) {
        assertThat(answer.status()).as("status of %s", answer.raw()).isEqualTo(status);
        assertThat(answer.body().path("error").path("code").asInt()).as("code of %s", answer.raw()).isEqualTo(code);
        assertThat(answer.body().has("id")).isTrue();
    }

    private static void assertInvalidState(Answer answer) {
        assertThat(answer.body().path("error").path("code").asInt()).as("%s", answer.raw()).isEqualTo(-32602);
        assertThat(answer.body().path("error").path("data").path("reason").asText()).isEqualTo("invalid_request_state");
    }
}
