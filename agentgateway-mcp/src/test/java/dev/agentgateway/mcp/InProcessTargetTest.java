package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Servers built with the MCP Java SDK mounted in-process, federated with no network hop. */
class InProcessTargetTest {
    static final java.util.concurrent.atomic.AtomicReference<io.modelcontextprotocol.server.McpSyncServer> ALPHA =
            new java.util.concurrent.atomic.AtomicReference<>();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder()
                    .target(McpTarget.inProcess("alpha", transport -> {
                        var server = SdkServers.calculator(transport, "alpha");
                        ALPHA.set(server);
                        return server;
                    }))
                    .target(McpTarget.inProcess("beta", transport -> SdkServers.calculator(transport, "beta")))
                    .build())));

    private static RawMcpClient client() throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp"));
        ObjectNode capabilities = RawMcpClient.object();
        capabilities.putObject("sampling");
        client.onServerRequest(request -> {
            ObjectNode result = RawMcpClient.object();
            result.put("role", "assistant").put("model", "canned");
            result.putObject("content").put("type", "text")
                    .put("text", "echo of " + request.path("params").path("messages").path(0).path("content").path("text").asText());
            return result;
        });
        client.initialize(capabilities);
        return client;
    }

    private static ObjectNode call(String tool, ObjectNode arguments) {
        ObjectNode params = RawMcpClient.object().put("name", tool);
        params.set("arguments", arguments);
        return params;
    }

    @Test
    void toolsOfBothServersAreListedAndCalled() throws Exception {
        try (RawMcpClient client = client()) {
            List<String> names = new ArrayList<>();
            client.call("tools/list", null).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
            assertThat(names).containsExactly("alpha_add", "alpha_ask", "alpha_steps", "alpha_whoami",
                    "beta_add", "beta_ask", "beta_steps", "beta_whoami");
            JsonNode sum = client.call("tools/call", call("beta_add", RawMcpClient.object().put("a", 2).put("b", 40)));
            assertThat(sum.path("result").path("content").path(0).path("text").asText()).isEqualTo("beta: 42");
        }
    }

    @Test
    void samplingRequestsReachTheClientAndTheAnswerGoesBack() throws Exception {
        try (RawMcpClient client = client()) {
            JsonNode answer = client.call("tools/call", call("alpha_ask", RawMcpClient.object().put("question", "why?")));
            assertThat(answer.path("result").path("content").path(0).path("text").asText()).isEqualTo("model said: echo of why?");
            JsonNode request = client.received().get(0);
            assertThat(request.path("method").asText()).isEqualTo("sampling/createMessage");
            assertThat(request.path("id").asText()).as("the upstream's id is replaced by the gateway's").startsWith("agw-");
        }
    }

    @Test
    void manyConcurrentSamplingCallsInOneSessionAllSucceed() throws Exception {
        try (RawMcpClient client = client()) {
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String target = i % 2 == 0 ? "alpha" : "beta";
                String question = "q" + i;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.call("tools/call", call(target + "_ask", RawMcpClient.object().put("question", question)))
                                .path("result").path("content").path(0).path("text").asText();
                    } catch (Exception e) {
                        return "failed: " + e;
                    }
                }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).join()).isEqualTo("model said: echo of q" + i);
            }
        }
    }

    @Test
    void progressComesBackWithTheClientsOwnToken() throws Exception {
        try (RawMcpClient client = client()) {
            ObjectNode params = call("beta_steps", RawMcpClient.object());
            params.putObject("_meta").put("progressToken", 77);
            JsonNode done = client.call("tools/call", params);
            assertThat(done.path("result").path("content").path(0).path("text").asText()).isEqualTo("done");
            List<JsonNode> progress = client.received().stream()
                    .filter(m -> m.path("method").asText().equals("notifications/progress")).toList();
            assertThat(progress).hasSize(3);
            assertThat(progress).allSatisfy(p -> assertThat(p.path("params").path("progressToken").isInt()).isTrue());
            assertThat(progress).allSatisfy(p -> assertThat(p.path("params").path("progressToken").asInt()).isEqualTo(77));
        }
    }

    @Test
    void serverNotificationsReachTheClientsGetStreamWithPrefixedUris() throws Exception {
        try (RawMcpClient client = client()) {
            assertThat(client.call("resources/subscribe", RawMcpClient.object().put("uri", "alpha+memo://alpha")).has("result")).isTrue();
            List<JsonNode> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.net.http.HttpResponse<java.util.stream.Stream<String>> stream = client.http().send(client.builder()
                    .setHeader("Accept", "text/event-stream").GET().build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
            assertThat(stream.statusCode()).isEqualTo(200);
            Thread reader = Thread.ofVirtual().start(() -> stream.body().forEach(line -> {
                if (line.startsWith("data:") && line.length() > 6) {
                    events.add(RawMcpClient.parse(line.substring(5).trim()));
                }
            }));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline && events.size() < 2) {
                ALPHA.get().notifyToolsListChanged();
                ALPHA.get().notifyResourcesUpdated(new io.modelcontextprotocol.spec.McpSchema.ResourcesUpdatedNotification("memo://alpha"));
                Thread.sleep(200);
            }
            stream.body().close(); // ends the GET stream (closing the client would wait for it)
            reader.join(5_000);
            assertThat(events).anySatisfy(e -> assertThat(e.path("method").asText()).isEqualTo("notifications/tools/list_changed"));
            assertThat(events).anySatisfy(e -> {
                assertThat(e.path("method").asText()).isEqualTo("notifications/resources/updated");
                assertThat(e.path("params").path("uri").asText()).isEqualTo("alpha+memo://alpha");
            });
        }
    }

    @Test
    void lastEventIdReplaysOnlyTheMissedEventsOfThatStream() throws Exception {
        try (RawMcpClient client = client()) {
            ObjectNode params = call("alpha_steps", RawMcpClient.object());
            params.putObject("_meta").put("progressToken", "p1");
            java.net.http.HttpResponse<String> first = client.http().send(client.builder()
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(client.request("tools/call", params).toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            List<String> ids = new ArrayList<>();
            List<String> data = new ArrayList<>();
            for (String line : first.body().split("\n")) {
                if (line.startsWith("id: ")) {
                    ids.add(line.substring(4));
                } else if (line.startsWith("data: ") && line.length() > 6) {
                    data.add(line.substring(6));
                }
            }
            assertThat(ids).as("a priming event, three progress events, the response").hasSize(5);
            assertThat(ids.get(0)).endsWith("-0");
            // another request in between writes to another stream, which must not be replayed
            client.call("tools/call", call("beta_add", RawMcpClient.object().put("a", 1).put("b", 1)));

            java.net.http.HttpResponse<String> replay = client.http().send(client.builder().setHeader("Accept", "text/event-stream")
                    .header("Last-Event-ID", ids.get(1)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).isEqualTo(200);
            List<String> replayed = new ArrayList<>();
            for (String line : replay.body().split("\n")) {
                if (line.startsWith("data: ") && line.length() > 6) {
                    replayed.add(line.substring(6));
                }
            }
            assertThat(replayed).containsExactlyElementsOf(data.subList(1, data.size()));
        }
    }

    @Test
    void promptsAndResourcesOfInProcessServers() throws Exception {
        try (RawMcpClient client = client()) {
            JsonNode prompt = client.call("prompts/get", RawMcpClient.object().put("name", "beta_greeting"));
            assertThat(prompt.path("result").path("messages").path(0).path("content").path("text").asText()).isEqualTo("Hello from beta");
            JsonNode resources = client.call("resources/list", null).path("result").path("resources");
            assertThat(resources.path(0).path("uri").asText()).isEqualTo("alpha+memo://alpha");
            JsonNode read = client.call("resources/read", RawMcpClient.object().put("uri", "beta+memo://beta"));
            assertThat(read.path("result").path("contents").path(0).path("text").asText()).isEqualTo("memo of beta");
            assertThat(read.path("result").path("contents").path(0).path("uri").asText()).isEqualTo("beta+memo://beta");
        }
    }
}
