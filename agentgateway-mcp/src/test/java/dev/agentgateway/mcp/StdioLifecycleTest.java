package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** stdio targets: a process per client session, crash handling with restart, stop when the session ends. */
class StdioLifecycleTest {
    /** Exists once a process crashed reading crash://once (a fresh name per run). */
    static final java.nio.file.Path CRASH_MARKER = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
            "agw-crash-" + java.util.UUID.randomUUID());

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.stdio("crashy", NodePeers.node(), NodePeers.jsDir().resolve("crashy-server.mjs").toString())
                            .withRequestTimeout(Duration.ofSeconds(30))
                            .withRestartBackoff(Duration.ofMillis(100))
                            .withEnv("AGW_TEST_VAR", "from the gateway")
                            .withEnv("AGW_CRASH_MARKER", CRASH_MARKER.toString())
                            .withWorkingDirectory(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))))
                    .build())));

    private static RawMcpClient client() throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        client.initialize(RawMcpClient.object());
        return client;
    }

    private static String text(JsonNode response) {
        return response.path("result").path("content").path(0).path("text").asText();
    }

    private static ObjectNode tool(String name) {
        ObjectNode params = RawMcpClient.object().put("name", name);
        params.putObject("arguments").put("text", "still here");
        return params;
    }

    @Test
    void aCrashFailsTheCallInFlightAtOnceAndTheNextCallSucceeds() throws Exception {
        try (RawMcpClient crashing = client(); RawMcpClient bystander = client()) {
            long firstPid = Long.parseLong(text(crashing.call("tools/call", tool("pid"))));
            long bystanderPid = Long.parseLong(text(bystander.call("tools/call", tool("pid"))));
            assertThat(firstPid).as("one process per session").isNotEqualTo(bystanderPid);

            JsonNode crashed = crashing.call("tools/call", tool("crash"));
            assertThat(crashed.path("error").path("code").asInt()).as("a JSON-RPC error, not a timeout: %s", crashed).isEqualTo(-32603);
            assertThat(crashed.path("error").path("message").asText()).contains("crashy").contains("exited");

            assertThat(text(crashing.call("tools/call", tool("echo")))).isEqualTo("still here");
            assertThat(Long.parseLong(text(crashing.call("tools/call", tool("pid"))))).isNotEqualTo(firstPid);
            assertThat(Long.parseLong(text(bystander.call("tools/call", tool("pid"))))).as("other sessions are unaffected").isEqualTo(bystanderPid);
            assertThat(GATEWAY.meterRegistry().find("agentgateway.mcp.upstream.restarts").tag("mcp.target", "crashy").counter().count())
                    .isGreaterThanOrEqualTo(1);
            assertThat(GATEWAY.meterRegistry().find("agentgateway.mcp.upstream.failures").tags("mcp.target", "crashy", "reason", "closed")
                    .counter().count()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anIdempotentRequestCutByACrashIsSentAgainOnceTheProcessIsBack() throws Exception {
        try (RawMcpClient client = client()) {
            long before = Long.parseLong(text(client.call("tools/call", tool("pid"))));
            JsonNode read = client.call("resources/read", RawMcpClient.object().put("uri", "crash://once"));
            // the first process died mid-read (it wrote the marker); the read was answered by the next one
            assertThat(read.path("result").path("contents").path(0).path("text").asText()).as("%s", read).startsWith("survived in ");
            assertThat(java.nio.file.Files.readString(CRASH_MARKER)).isEqualTo(Long.toString(before));
            assertThat(read.path("result").path("contents").path(0).path("text").asText()).isNotEqualTo("survived in " + before);
        } finally {
            java.nio.file.Files.deleteIfExists(CRASH_MARKER);
        }
    }

    @Test
    void theProcessGetsItsEnvironmentAndWorkingDirectory() throws Exception {
        try (RawMcpClient client = client()) {
            String[] answer = text(client.call("tools/call", tool("env"))).split("\\|");
            assertThat(answer[0]).isEqualTo("from the gateway");
            assertThat(java.nio.file.Path.of(answer[1]).toRealPath())
                    .isEqualTo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
        }
    }

    @Test
    void closingTheGatewayStopsTheProcessesItStarted() throws Exception {
        dev.agentgateway.core.Gateway gateway = dev.agentgateway.core.Gateway.builder().port(0)
                .meterRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry())
                .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                        .target(McpTarget.stdio("crashy", NodePeers.node(), NodePeers.jsDir().resolve("crashy-server.mjs").toString()))
                        .build()))
                .start();
        long pid;
        try (RawMcpClient client = new RawMcpClient(gateway.uri().resolve("/mcp"))) {
            client.initialize(RawMcpClient.object());
            pid = Long.parseLong(text(client.call("tools/call", tool("pid"))));
        } finally {
            gateway.close();
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void endingTheSessionStopsItsProcess() throws Exception {
        try (RawMcpClient client = client()) {
            long pid = Long.parseLong(text(client.call("tools/call", tool("pid"))));
            assertThat(ProcessHandle.of(pid)).isPresent();
            HttpResponse<String> deleted = client.http().send(client.builder().DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(deleted.statusCode()).isEqualTo(200);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        }
    }
}
