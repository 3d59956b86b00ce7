package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ModernHttp;
import dev.agentgateway.mcp.support.ModernHttp.Answer;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.TestPrincipals;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 2026 tasks extension on the modern face, over a legacy target's tasks (the TypeScript SDK v1
 * fixture {@code legacy-tasks-fixture.mjs}) federated with server-everything, so task ids carry their
 * target: what the conformance scenarios do not cover (another caller's task, prefixes, bad input).
 */
class ModernTasksTest {
    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .policy(TestPrincipals.fromHeader())
            .backend(McpBackend.builder()
                    .target(McpTarget.stdio("jobs", NodePeers.node(), NodePeers.jsDir().resolve("legacy-tasks-fixture.mjs").toString()))
                    .target(McpTarget.stdio("everything", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                    .build())));

    private final ModernHttp modern = new ModernHttp(GATEWAY.uri("/mcp"));
    private int ids;

    private static ObjectNode capabilities(boolean tasks) {
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("elicitation");
        if (tasks) {
            capabilities.putObject("extensions").putObject("io.modelcontextprotocol/tasks");
        }
        return capabilities;
    }

    private Answer send(String user, boolean tasks, String method, ObjectNode params) throws Exception {
        ObjectNode request = ModernHttp.request(++ids, method, params, ModernHttp.meta(capabilities(tasks)));
        return modern.post(request, user == null ? null : Map.of("X-Test-User", user));
    }

    private Answer call(String user, boolean tasks, String tool, ObjectNode arguments) throws Exception {
        ObjectNode params = RawMcpClient.object().put("name", tool);
        params.set("arguments", arguments);
        return send(user, tasks, "tools/call", params);
    }

    private Answer task(String user, String method, String taskId) throws Exception {
        return send(user, true, method, RawMcpClient.object().put("taskId", taskId));
    }

    /** Polls tasks/get until the task has {@code status} (or ends); returns the last answer. */
    private JsonNode await(String user, String taskId, String status) throws Exception {
        JsonNode got = null;
        for (int i = 0; i < 150; i++) {
            got = task(user, "tasks/get", taskId).body().path("result");
            String now = got.path("status").asText();
            if (now.equals(status) || now.equals("completed") || now.equals("failed") || now.equals("cancelled")) {
                return got;
            }
            Thread.sleep(100);
        }
        return got;
    }

    private static void assertError(Answer answer, int status, int code) {
        assertThat(answer.status()).as("%s", answer.raw()).isEqualTo(status);
        assertThat(answer.body().path("error").path("code").asInt()).as("%s", answer.raw()).isEqualTo(code);
    }

    @Test
    void discoverOffersTheExtensionNotTheLegacyCapability() throws Exception {
        JsonNode capabilities = send(null, true, "server/discover", RawMcpClient.object()).body().path("result").path("capabilities");
        assertThat(capabilities.path("extensions").has("io.modelcontextprotocol/tasks")).as("%s", capabilities).isTrue();
        assertThat(capabilities.has("tasks")).isFalse();
    }

    @Test
    void aTaskIsItsCreatorsOnlyAndNamesItsTarget() throws Exception {
        JsonNode created = call("alice", true, "jobs_slow_compute", RawMcpClient.object().put("seconds", 30)).body().path("result");
        assertThat(created.path("resultType").asText()).as("%s", created).isEqualTo("task");
        String taskId = created.path("taskId").asText();
        assertThat(taskId).startsWith("jobs+");
        assertThat(created.path("ttlMs").asLong()).isPositive();
        assertThat(created.has("task")).isFalse();

        assertError(task("bob", "tasks/get", taskId), 200, -32602);
        assertError(task(null, "tasks/cancel", taskId), 200, -32602);
        assertThat(task("alice", "tasks/get", taskId).body().path("result").path("status").asText()).isEqualTo("working");

        JsonNode ack = task("alice", "tasks/cancel", taskId).body().path("result");
        assertThat(ack.path("resultType").asText()).isEqualTo("complete");
        assertThat(ack.has("taskId")).isFalse();
        assertThat(await("alice", taskId, "cancelled").path("status").asText()).isEqualTo("cancelled");
        assertThat(task("alice", "tasks/cancel", taskId).body().path("result").path("resultType").asText())
                .as("cancelling an ended task is acknowledged too").isEqualTo("complete");
    }

    @Test
    void inputIsAskedOnTasksGetAndAnsweredWithTasksUpdate() throws Exception {
        String taskId = call("carol", true, "jobs_confirm_delete", RawMcpClient.object().put("path", "/tmp/x"))
                .body().path("result").path("taskId").asText();
        JsonNode waiting = await("carol", taskId, "input_required");
        assertThat(waiting.path("status").asText()).as("%s", waiting).isEqualTo("input_required");
        String key = waiting.path("inputRequests").fieldNames().next();
        assertThat(waiting.path("inputRequests").path(key).path("method").asText()).isEqualTo("elicitation/create");
        assertThat(waiting.path("inputRequests").path(key).path("params").path("message").asText()).isEqualTo("Delete /tmp/x?");

        ObjectNode wrong = RawMcpClient.object().put("taskId", taskId).put("inputResponses", "yes");
        assertError(send("carol", true, "tasks/update", wrong), 200, -32602);
        ObjectNode update = RawMcpClient.object().put("taskId", taskId);
        ObjectNode answer = update.putObject("inputResponses").putObject(key);
        answer.put("action", "accept");
        answer.putObject("content").put("confirm", true);
        assertThat(send("carol", true, "tasks/update", update).body().path("result").path("resultType").asText()).isEqualTo("complete");

        JsonNode done = await("carol", taskId, "completed");
        assertThat(done.path("status").asText()).isEqualTo("completed");
        assertThat(done.path("result").path("content").path(0).path("text").asText()).isEqualTo("deleted /tmp/x");
        assertThat(done.path("result").path("_meta").has("io.modelcontextprotocol/related-task")).isFalse();
        assertThat(done.has("inputRequests")).isFalse();
    }

    @Test
    void withoutTheExtensionTasksAreRefusedAndOptionalOnesRunAtOnce() throws Exception {
        Answer gated = send("dave", false, "tasks/get", RawMcpClient.object().put("taskId", "jobs+1"));
        assertError(gated, 400, -32021);
        assertThat(gated.body().path("error").path("data").path("requiredCapabilities").path("extensions")
                .has("io.modelcontextprotocol/tasks")).isTrue();
        assertError(call("dave", false, "jobs_failing_job", RawMcpClient.object()), 400, -32021);

        JsonNode sync = call("dave", false, "jobs_slow_compute", RawMcpClient.object().put("seconds", 0).put("label", "now")).body().path("result");
        assertThat(sync.path("resultType").asText()).as("%s", sync).isEqualTo("complete");
        assertThat(sync.path("content").path(0).path("text").asText()).isEqualTo("computed now after 0s");

        // the legacy era's own task methods and hint are not part of this one
        assertError(task("dave", "tasks/result", "jobs+1"), 404, -32601);
        assertError(send("dave", true, "tasks/list", RawMcpClient.object()), 404, -32601);
        ObjectNode hinted = RawMcpClient.object().put("name", "jobs_greet");
        hinted.putObject("arguments").put("name", "Eve");
        hinted.putObject("task").put("ttl", 1000);
        JsonNode greeted = send("dave", true, "tools/call", hinted).body().path("result");
        assertThat(greeted.path("resultType").asText()).as("a sync-only tool stays sync").isEqualTo("complete");
        assertThat(greeted.path("content").path(0).path("text").asText()).isEqualTo("Hello, Eve!");
    }

    @Test
    void taskRequestsAreCheckedLikeAnyOther() throws Exception {
        assertError(task("erin", "tasks/get", "jobs+no-such-task"), 200, -32602);
        // no taskId: nothing for the required Mcp-Name to mirror, refused as a header mismatch (as tools/call without a name is)
        assertError(send("erin", true, "tasks/get", RawMcpClient.object()), 400, -32020);
        ObjectNode get = ModernHttp.request(++ids, "tasks/get", RawMcpClient.object().put("taskId", "jobs+1"), ModernHttp.meta(capabilities(true)));
        assertError(modern.post(get, Map.of("Mcp-Name", "jobs+2")), 400, -32020);
    }
}
