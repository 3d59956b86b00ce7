package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.ConformanceFixture;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeProcess;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkHttpServer;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A modern (2026-07-28) target, the TypeScript SDK v2 conformance fixture ({@code modern-fixture.mjs}),
 * federated with a legacy one (the Java SDK fixture): the gateway detects each target's era; a legacy
 * client's session reaches the modern target, whose {@code input_required} rounds become server
 * requests on the client's stream; a modern client sees the target's own input keys.
 */
class ModernTargetTest {
    static final NodeProcess MODERN = NodePeers.modernFixture();
    static final SdkHttpServer LEGACY = new SdkHttpServer(ConformanceFixture::build);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.streamableHttp("modern", URI.create(MODERN.url("/mcp"))))
                    .target(McpTarget.streamableHttp("legacy", LEGACY.uri()))
                    .build())));

    @AfterAll
    static void stop() throws Exception {
        MODERN.close();
        LEGACY.close();
    }

    private static RawMcpClient legacyClient(List<JsonNode> asked) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("elicitation");
        capabilities.putObject("sampling");
        client.onServerRequest(request -> {
            asked.add(request);
            ObjectNode answer = RawMcpClient.object();
            answer.put("action", "accept");
            String message = request.path("params").path("message").asText();
            answer.putObject("content").put(message.contains("color") ? "color" : "name", message.contains("color") ? "blue" : "Alice");
            return answer;
        });
        client.initialize(capabilities);
        return client;
    }

    @Test
    void aLegacySessionSpansBothErasAndAnswersTheModernTargetsInputAsServerRequests() throws Exception {
        List<JsonNode> asked = new CopyOnWriteArrayList<>();
        try (RawMcpClient client = legacyClient(asked)) {
            JsonNode tools = client.call("tools/list", RawMcpClient.object()).path("result").path("tools");
            assertThat(tools.toString()).contains("modern_test_simple_text", "legacy_test_simple_text");
            JsonNode simple = client.call("tools/call", RawMcpClient.object().put("name", "modern_test_simple_text"));
            assertThat(simple.path("result").path("content").get(0).path("text").asText()).isEqualTo("This is a simple text response for testing.");

            JsonNode greeted = client.call("tools/call", RawMcpClient.object().put("name", "modern_test_input_required_result_elicitation"));
            assertThat(greeted.path("result").path("content").get(0).path("text").asText()).isEqualTo("Hello, Alice!");
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0).path("method").asText()).isEqualTo("elicitation/create");

            asked.clear();
            JsonNode twoRounds = client.call("tools/call", RawMcpClient.object().put("name", "modern_test_input_required_result_multi_round"));
            assertThat(twoRounds.path("result").path("content").get(0).path("text").asText()).isEqualTo("Hello Alice, favorite color blue");
            assertThat(asked).extracting(request -> request.path("params").path("message").asText())
                    .containsExactly("Step 1: What is your name?", "Step 2: What is your favorite color?");

            JsonNode legacySide = client.call("tools/call", RawMcpClient.object().put("name", "legacy_test_elicitation")
                    .set("arguments", RawMcpClient.object().put("message", "legacy?")));
            assertThat(legacySide.path("result").path("content").get(0).path("text").asText()).startsWith("User response: action=accept");
        }
    }

    @Test
    void aLegacyClientsResourceSubscriptionsToAModernTargetTravelOnItsSubscriptionStream() throws Exception {
        List<String> updated = new CopyOnWriteArrayList<>();
        try (RawMcpClient client = legacyClient(new CopyOnWriteArrayList<>())) {
            HttpResponse<java.util.stream.Stream<String>> stream = client.http().send(
                    client.builder().setHeader("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            Thread.ofVirtual().start(() -> stream.body().forEach(line -> {
                if (line.startsWith("data:") && line.contains("notifications/resources/updated")) {
                    updated.add(RawMcpClient.parse(line.substring(5).trim()).path("params").path("uri").asText());
                }
            }));
            // resources/subscribe is gone in 2026-07-28: the gateway answers it and the target's listen stream watches the URI
            for (String uri : List.of("modern+test://watched-resource", "modern+test://static-text")) {
                JsonNode subscribed = client.call("resources/subscribe", RawMcpClient.object().put("uri", uri));
                assertThat(subscribed.has("result")).as("%s", subscribed).isTrue();
            }
            trigger(client, "test://watched-resource");
            await(() -> updated.contains("modern+test://watched-resource"));
            assertThat(client.call("resources/unsubscribe", RawMcpClient.object().put("uri", "modern+test://watched-resource")).has("result")).isTrue();
            // one stream carries both in order: once the second URI's update is here, the unsubscribed one's would have been
            trigger(client, "test://watched-resource");
            trigger(client, "test://static-text");
            await(() -> updated.contains("modern+test://static-text"));
            assertThat(updated).containsExactly("modern+test://watched-resource", "modern+test://static-text");
            stream.body().close();
        }
    }

    @Test
    void aLegacyClientsTasksRunOnTheModernTargetsTasksExtension() throws Exception {
        List<JsonNode> asked = new CopyOnWriteArrayList<>();
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            ObjectNode capabilities = RawMcpClient.object();
            capabilities.putObject("elicitation");
            client.onServerRequest(request -> {
                asked.add(request);
                ObjectNode answer = RawMcpClient.object().put("action", "accept");
                answer.putObject("content").put("confirm", true);
                return answer;
            });
            JsonNode offered = client.initialize(capabilities).path("capabilities").path("tasks");
            assertThat(offered.path("requests").path("tools").has("call")).as("%s", offered).isTrue();

            String computing = startTask(client, "modern_slow_compute", RawMcpClient.object().put("seconds", 1).put("label", "x"));
            assertThat(computing).startsWith("modern+");
            JsonNode got = task(client, "tasks/get", computing).path("result");
            assertThat(got.path("taskId").asText()).isEqualTo(computing);
            assertThat(got.path("ttl").isNumber()).as("legacy field names: %s", got).isTrue();
            assertThat(got.has("ttlMs")).isFalse();
            // tasks/result, which the extension does not have, waits for the end and answers the tool's result
            JsonNode done = task(client, "tasks/result", computing).path("result");
            assertThat(done.path("content").path(0).path("text").asText()).isEqualTo("computed x after 1s");
            assertThat(done.path("_meta").path("io.modelcontextprotocol/related-task").path("taskId").asText()).isEqualTo(computing);

            // input: the task's input request is asked on the tasks/result stream, the answer goes back as tasks/update
            String deleting = startTask(client, "modern_confirm_delete", RawMcpClient.object().put("path", "/tmp/y"));
            JsonNode deleted = task(client, "tasks/result", deleting).path("result");
            assertThat(deleted.path("content").path(0).path("text").asText()).as("%s", deleted).isEqualTo("deleted /tmp/y");
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0).path("method").asText()).isEqualTo("elicitation/create");
            assertThat(asked.get(0).path("params").path("_meta").path("io.modelcontextprotocol/related-task").path("taskId").asText())
                    .isEqualTo(deleting);

            String slow = startTask(client, "modern_slow_compute", RawMcpClient.object().put("seconds", 30));
            JsonNode cancelled = task(client, "tasks/cancel", slow).path("result");
            assertThat(cancelled.path("taskId").asText()).isEqualTo(slow);
            assertThat(cancelled.path("status").asText()).isEqualTo("cancelled");
            JsonNode failedTask = task(client, "tasks/result", slow);
            assertThat(failedTask.path("error").path("message").asText()).as("%s", failedTask).contains("cancelled");
        }
    }

    @Test
    void aLegacyClientListsItsTasksOnAModernTargetAndCanStopWaitingForOne() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            JsonNode offered = client.initialize(RawMcpClient.object()).path("capabilities").path("tasks");
            assertThat(offered.has("list")).as("the gateway lists bridged tasks itself: %s", offered).isTrue();
            String quick = startTask(client, "modern_slow_compute", RawMcpClient.object().put("seconds", 0));
            String slow = startTask(client, "modern_slow_compute", RawMcpClient.object().put("seconds", 30));
            task(client, "tasks/result", quick);

            JsonNode listed = client.call("tasks/list", RawMcpClient.object()).path("result");
            assertThat(listed.path("tasks").findValuesAsText("taskId")).as("%s", listed).containsExactly(quick, slow);
            assertThat(listed.path("tasks").findValuesAsText("status")).containsExactly("completed", "working");
            assertThat(listed.path("tasks").path(0).path("ttl").isNumber()).as("legacy shape: %s", listed).isTrue();
            assertThat(listed.has("nextCursor")).isFalse();

            // a tasks/result the client cancels stops polling the target; the task goes on
            ObjectNode waiting = client.request("tasks/result", RawMcpClient.object().put("taskId", slow));
            java.util.concurrent.CompletableFuture<HttpResponse<String>> answered = client.http().sendAsync(
                    client.builder().POST(HttpRequest.BodyPublishers.ofString(waiting.toString())).build(), HttpResponse.BodyHandlers.ofString());
            String own = slow.substring("modern+".length());
            await(() -> gets(own) >= 3); // polling (every 200 ms, as the fixture asks)
            HttpResponse<String> cancelled = client.post(RawMcpClient.notification("notifications/cancelled",
                    RawMcpClient.object().set("requestId", waiting.get("id"))));
            assertThat(cancelled.statusCode()).isEqualTo(202);
            JsonNode ended = RawMcpClient.message(answered.get(20, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(ended.path("error").path("message").asText()).as("%s", ended).startsWith("Request cancelled");
            long afterCancel = gets(own);
            Thread.sleep(1_000); // five poll intervals: a poller still running would have asked again
            assertThat(gets(own)).isEqualTo(afterCancel);
            assertThat(task(client, "tasks/get", slow).path("result").path("status").asText()).isEqualTo("working");
            task(client, "tasks/cancel", slow);
        }
    }

    @Test
    void moreBridgedTasksThanOnePageAreListedPageByPage() throws Exception {
        try (RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"))) {
            client.initialize(RawMcpClient.object());
            List<String> created = new java.util.ArrayList<>();
            for (int i = 0; i < 105; i++) {
                created.add(startTask(client, "modern_slow_compute", RawMcpClient.object().put("seconds", 0)));
            }
            JsonNode first = client.call("tasks/list", RawMcpClient.object()).path("result");
            assertThat(first.path("tasks").size()).as("one page: 100 tasks/get of the target at most").isEqualTo(100);
            assertThat(first.path("nextCursor").asText()).isNotEmpty();
            JsonNode second = client.call("tasks/list", RawMcpClient.object().put("cursor", first.path("nextCursor").asText())).path("result");
            assertThat(second.has("nextCursor")).as("%s", second).isFalse();
            List<String> listed = new java.util.ArrayList<>(first.path("tasks").findValuesAsText("taskId"));
            listed.addAll(second.path("tasks").findValuesAsText("taskId"));
            assertThat(listed).containsExactlyElementsOf(created);
            JsonNode forged = client.call("tasks/list", RawMcpClient.object().put("cursor", "not-a-cursor"));
            assertThat(forged.path("error").path("code").asInt()).as("%s", forged).isEqualTo(-32602);
        }
    }

    /** How many times the fixture was asked {@code tasks/get} for its task {@code taskId}. */
    private static long gets(String taskId) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(MODERN.url("/fixture/tasks/" + taskId + "/gets"))).build(), HttpResponse.BodyHandlers.ofString());
            return RawMcpClient.parse(response.body()).path("gets").asLong();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTypeScriptClientsTaskApiWorksAgainstAModernTarget() throws Exception {
        // the same script as against server-everything's legacy tasks (TaskRoutingTest); slow_compute ignores its topic
        JsonNode out = dev.agentgateway.mcp.support.NodeScript.run("ts-tasks-client.mjs", 120, GATEWAY.uri("/mcp").toString(),
                "modern_slow_compute");
        assertThat(out.path("errors")).as("%s", out).isEmpty();
        // (the SDK v2 fixture's tools/list carries no execution.taskSupport: the script asks for a task itself)
        assertThat(out.path("plain").path("taskId").asText()).startsWith("modern+");
        assertThat(out.path("plain").path("statuses").toString()).endsWith("\"completed\"]");
        assertThat(out.path("plain").path("text").asText()).isEqualTo("computed  after 1s");
        assertThat(out.path("listed").toString()).as("listTasks through the bridge: %s", out).contains(out.path("plain").path("taskId").asText());
        assertThat(out.path("cancelled").path("status").asText()).isEqualTo("cancelled");
        assertThat(out.path("unknown").path("code").asInt()).isEqualTo(-32602);
    }

    private static String startTask(RawMcpClient client, String tool, ObjectNode arguments) throws Exception {
        ObjectNode params = RawMcpClient.object().put("name", tool);
        params.set("arguments", arguments);
        params.putObject("task").put("ttl", 60_000);
        JsonNode created = client.call("tools/call", params).path("result");
        assertThat(created.path("task").path("status").asText()).as("a legacy CreateTaskResult: %s", created).isIn("working", "input_required");
        assertThat(created.has("resultType")).isFalse();
        return created.path("task").path("taskId").asText();
    }

    private static JsonNode task(RawMcpClient client, String method, String taskId) throws Exception {
        return client.call(method, RawMcpClient.object().put("taskId", taskId));
    }

    private static void trigger(RawMcpClient client, String uri) throws Exception {
        JsonNode published = client.call("tools/call", RawMcpClient.object().put("name", "modern_test_trigger_resource_update")
                .set("arguments", RawMcpClient.object().put("uri", uri)));
        assertThat(published.path("result").path("content").get(0).path("text").asText()).contains(uri);
    }

    /** Waits for what arrives in the background; a deadline only against hanging. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aModernClientSeesTheModernTargetsOwnInputKeysAndTheGatewaysState() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectNode call = modernRequest(1, "tools/call", RawMcpClient.object().put("name", "modern_test_input_required_result_elicitation"));
        JsonNode first = post(http, call).path("result");
        assertThat(first.path("resultType").asText()).isEqualTo("input_required");
        assertThat(first.path("inputRequests").has("user_name")).as("%s", first).isTrue();
        ObjectNode retry = call.deepCopy();
        retry.put("id", 2);
        ObjectNode params = (ObjectNode) retry.get("params");
        params.put("requestState", first.path("requestState").asText());
        ObjectNode answer = params.putObject("inputResponses").putObject("user_name");
        answer.put("action", "accept");
        answer.putObject("content").put("name", "Bob");
        JsonNode done = post(http, retry);
        assertThat(done.path("id").asInt()).isEqualTo(2);
        assertThat(done.path("result").path("content").get(0).path("text").asText()).isEqualTo("Hello, Bob!");

        JsonNode discover = post(http, modernRequest(3, "server/discover", RawMcpClient.object())).path("result");
        assertThat(discover.path("capabilities").has("tools")).isTrue();
    }

    @Test
    void everyInputRequestOfOneRoundReachesTheModernClientInOneAnswer() throws Exception {
        // the target asks three things at once; the gateway must never answer input_required with only some
        // of them (it once did, when they reached its reader one by one: CI caught it under load)
        HttpClient http = HttpClient.newHttpClient();
        List<java.util.concurrent.Future<JsonNode>> rounds = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 64; i++) {
                int id = i;
                rounds.add(threads.submit(() -> {
                    ObjectNode call = modernRequest(id, "tools/call", RawMcpClient.object().put("name", "modern_test_input_required_result_multiple_inputs"));
                    ObjectNode capabilities = (ObjectNode) call.path("params").path("_meta").path("io.modelcontextprotocol/clientCapabilities");
                    capabilities.putObject("sampling");
                    capabilities.putObject("roots");
                    return post(http, call).path("result");
                }));
            }
            for (java.util.concurrent.Future<JsonNode> round : rounds) {
                JsonNode first = round.get();
                assertThat(first.path("resultType").asText()).as("%s", first).isEqualTo("input_required");
                assertThat(first.path("inputRequests").properties()).as("%s", first).extracting(java.util.Map.Entry::getKey)
                        .containsExactlyInAnyOrder("user_name", "greeting", "client_roots");
            }
        }
    }

    private static ObjectNode modernRequest(int id, String method, ObjectNode params) {
        ObjectNode meta = params.putObject("_meta");
        meta.put("io.modelcontextprotocol/protocolVersion", "2026-07-28");
        meta.putObject("io.modelcontextprotocol/clientCapabilities").putObject("elicitation");
        ObjectNode request = RawMcpClient.object();
        request.put("jsonrpc", "2.0").put("id", id).put("method", method).set("params", params);
        return request;
    }

    private static JsonNode post(HttpClient http, ObjectNode request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(GATEWAY.uri("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2026-07-28").header("Mcp-Method", request.path("method").asText())
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()));
        if (request.path("params").has("name")) {
            builder.header("Mcp-Name", request.path("params").path("name").asText());
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return RawMcpClient.message(response);
    }
}
