package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeScript;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MCP 2025-11-25 tasks through the gateway, against server-everything's task tool
 * {@code simulate-research-query} (four one-second stages; asks for clarification when ambiguous): the
 * task-augmented call's task id names its target, so {@code tasks/get}, {@code tasks/result} and
 * {@code tasks/cancel} reach it, {@code tasks/list} merges the targets, and an {@code input_required}
 * task's elicitation reaches the client on the {@code tasks/result} stream.
 */
class TaskRoutingTest {
    private static final String TOOL = "simulate-research-query";

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("two").path("/mcp").backend(McpBackend.builder()
                    .target(everything("a"))
                    .target(everything("b"))
                    .build()))
            .route(Route.builder("never").path("/never").backend(McpBackend.builder()
                    .prefixMode(PrefixMode.NEVER)
                    .target(McpTarget.inProcess("calc", transport -> SdkServers.calculator(transport, "calc")))
                    .target(everything("everything"))
                    .build()))
            .route(Route.builder("single").path("/single").backend(McpBackend.builder()
                    .target(everything("only"))
                    .build())));

    private static McpTarget everything(String name) {
        return McpTarget.stdio(name, NodePeers.node(), NodePeers.everythingScript(), "stdio");
    }

    private static RawMcpClient client(String path) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri(path));
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("elicitation");
        client.initialize(capabilities);
        return client;
    }

    private static JsonNode start(RawMcpClient client, String tool, String topic) throws Exception {
        ObjectNode params = RawMcpClient.object();
        params.put("name", tool);
        params.putObject("arguments").put("topic", topic);
        params.putObject("task").put("ttl", 60_000);
        JsonNode created = client.call("tools/call", params);
        assertThat(created.has("result")).as("CreateTaskResult: %s", created).isTrue();
        return created.path("result").path("task");
    }

    private static JsonNode task(RawMcpClient client, String method, String taskId) throws Exception {
        ObjectNode params = RawMcpClient.object();
        params.put("taskId", taskId);
        return client.call(method, params);
    }

    private static List<String> listed(RawMcpClient client) throws Exception {
        List<String> ids = new ArrayList<>();
        client.call("tasks/list", RawMcpClient.object()).path("result").path("tasks").forEach(t -> ids.add(t.path("taskId").asText()));
        return ids;
    }

    @Test
    void theOfficialTypeScriptClientRunsTasksThroughTheGateway() throws Exception {
        JsonNode out = NodeScript.run("ts-tasks-client.mjs", 120, GATEWAY.uri("/mcp").toString(), "b_" + TOOL);
        assertThat(out.path("errors")).as("%s", out).isEmpty();
        assertThat(out.path("capabilities").path("tasks").path("requests").path("tools").has("call")).as("%s", out).isTrue();
        assertThat(out.path("tools").path(0).path("taskSupport").asText()).isEqualTo("required");

        JsonNode plain = out.path("plain");
        assertThat(plain.path("taskId").asText()).startsWith("b+");
        assertThat(plain.path("statuses").toString()).contains("working").endsWith("\"completed\"]");
        assertThat(plain.path("text").asText()).contains("# Research Report: gateways");

        // input_required: the elicitation comes on the tasks/result stream, naming the task as the client knows it
        JsonNode clarified = out.path("clarified");
        assertThat(clarified.path("statuses").toString()).contains("input_required");
        assertThat(clarified.path("text").asText()).contains("Clarification**: programming");
        assertThat(clarified.path("elicitations")).hasSize(1);
        assertThat(clarified.path("elicitations").path(0).path("relatedTask").asText()).isEqualTo(clarified.path("taskId").asText());

        List<String> listed = new ArrayList<>();
        out.path("listed").forEach(id -> listed.add(id.asText()));
        assertThat(listed).contains(plain.path("taskId").asText(), clarified.path("taskId").asText()).allMatch(id -> id.startsWith("b+"));

        assertThat(out.path("cancelled").path("taskId").asText()).startsWith("b+");
        assertThat(out.path("cancelled").path("status").asText()).isEqualTo("cancelled");
        assertThat(out.path("unknown").path("code").asInt()).isEqualTo(-32602);
    }

    @Test
    void initializeOffersWhatTheTargetsDoWithTasks() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            JsonNode tasks = client.initialize(RawMcpClient.object()).path("capabilities").path("tasks");
            assertThat(tasks.has("list")).isTrue();
            assertThat(tasks.has("cancel")).isTrue();
            assertThat(tasks.path("requests").path("tools").has("call")).isTrue();
        }
    }

    @Test
    void eachTaskGoesBackToTheTargetThatCreatedIt() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            JsonNode onA = start(client, "a_" + TOOL, "on a");
            JsonNode onB = start(client, "b_" + TOOL, "on b");
            String a = onA.path("taskId").asText();
            String b = onB.path("taskId").asText();
            assertThat(a).startsWith("a+");
            assertThat(b).startsWith("b+");
            assertThat(onA.path("status").asText()).isEqualTo("working");

            JsonNode gotA = task(client, "tasks/get", a).path("result");
            assertThat(gotA.path("taskId").asText()).isEqualTo(a);
            assertThat(task(client, "tasks/get", b).path("result").path("taskId").asText()).isEqualTo(b);

            // b's own id under a's prefix is a task a never created: a says so
            String bOwn = b.substring(2);
            JsonNode crossed = task(client, "tasks/get", "a+" + bOwn);
            assertThat(crossed.path("error").path("code").asInt()).as("%s", crossed).isEqualTo(-32602);

            assertThat(listed(client)).contains(a, b);

            JsonNode cancelled = task(client, "tasks/cancel", b).path("result");
            assertThat(cancelled.path("taskId").asText()).isEqualTo(b);
            assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
            // a finished task cannot be cancelled: the target's refusal reaches the client
            assertThat(task(client, "tasks/cancel", b).path("error").path("code").asInt()).isEqualTo(-32602);

            // tasks/result waits for the end and answers the tool's result
            JsonNode result = task(client, "tasks/result", a).path("result");
            assertThat(result.path("content").path(0).path("text").asText()).contains("# Research Report: on a");
            assertThat(result.path("_meta").path("io.modelcontextprotocol/related-task").path("taskId").asText()).isEqualTo(a);
        }
    }

    @Test
    void taskIdsNoTargetGaveAreInvalidParams() throws Exception {
        try (RawMcpClient client = client("/mcp")) {
            assertThat(task(client, "tasks/get", "c+123").path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(task(client, "tasks/result", "no-prefix").path("error").path("message").asText()).isEqualTo("Unknown task: no-prefix");
            assertThat(client.call("tasks/cancel", RawMcpClient.object()).path("error").path("code").asInt()).isEqualTo(-32602);
            ObjectNode badCursor = RawMcpClient.object();
            badCursor.put("cursor", "forged");
            assertThat(client.call("tasks/list", badCursor).path("error").path("message").asText()).isEqualTo("Invalid cursor");
        }
    }

    @Test
    void withoutPrefixesTheGatewayRemembersWhichTargetGaveEachTask() throws Exception {
        try (RawMcpClient client = client("/never")) {
            JsonNode created = start(client, TOOL, "unprefixed");
            String id = created.path("taskId").asText();
            assertThat(id).doesNotContain("+");
            assertThat(task(client, "tasks/get", id).path("result").path("taskId").asText()).isEqualTo(id);
            assertThat(listed(client)).containsExactly(id); // only the target that declares tasks.list is asked
            assertThat(task(client, "tasks/cancel", id).path("result").path("status").asText()).isEqualTo("cancelled");
            assertThat(task(client, "tasks/get", "never-created").path("error").path("code").asInt()).isEqualTo(-32602);
        }
    }

    @Test
    void aSingleTargetKeepsItsOwnTaskIds() throws Exception {
        try (RawMcpClient client = client("/single")) {
            String id = start(client, TOOL, "alone").path("taskId").asText();
            assertThat(id).doesNotContain("+");
            assertThat(listed(client)).containsExactly(id);
            assertThat(task(client, "tasks/result", id).path("result").path("content").path(0).path("text").asText())
                    .contains("# Research Report: alone");
        }
    }
}
