package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.RawMcpClient;
import dev.agentgateway.mcp.support.SdkServers;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import dev.agentgateway.policy.cedar.CedarPolicies;
import dev.agentgateway.test.GatewayExtension;
import io.micrometer.core.instrument.Counter;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * List-changed notifications follow each caller's view: an MCP Java SDK server (in-process) adds tools
 * and announces it; a caller who may not see the new tool is not told; a reloaded Cedar policy file that
 * widens a caller's view tells that caller, and only that caller.
 */
class ListChangedViewTest {
    static final String DEV = ApiKeys.generate();
    static final String OPS = ApiKeys.generate();
    static final String NARROW = """
            permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"lab") when { resource.name like "public*" };
            permit(principal in Group::"ops", action == Action::"call_tool", resource in McpTarget::"lab");
            """;
    static final String WIDE = """
            permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"lab");
            permit(principal in Group::"ops", action == Action::"call_tool", resource in McpTarget::"lab");
            """;
    static final Path POLICY_FILE = policyFile();
    static final AtomicReference<McpSyncServer> LAB = new AtomicReference<>();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                    ApiKey.builder("dev-key").key(DEV).roles("dev").build(),
                    ApiKey.builder("ops-key").key(OPS).roles("ops").build())).build()))
            .policy(CedarAuthorization.builder().policies(CedarPolicies.file(POLICY_FILE)).reloadInterval(Duration.ofMillis(100)).build())
            .backend(McpBackend.builder()
                    .target(McpTarget.inProcess("lab", transport -> {
                        McpSyncServer server = io.modelcontextprotocol.server.McpServer.sync(transport)
                                .serverInfo("lab", "1.0.0")
                                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                                .tools(tool("public_a"), tool("secret_b"))
                                .build();
                        LAB.set(server);
                        return server;
                    }))
                    .build())));

    @Test
    void eachCallerHearsOnlyOfChangesToWhatItSees() throws Exception {
        List<String> devHeard = new CopyOnWriteArrayList<>();
        List<String> opsHeard = new CopyOnWriteArrayList<>();
        try (RawMcpClient dev = client(DEV); RawMcpClient ops = client(OPS)) {
            assertThat(tools(dev)).containsExactly("public_a");
            assertThat(tools(ops)).containsExactly("public_a", "secret_b");
            HttpResponse<Stream<String>> devStream = listen(dev, devHeard);
            HttpResponse<Stream<String>> opsStream = listen(ops, opsHeard);

            LAB.get().addTool(tool("secret_c")); // the SDK announces it to both upstream sessions
            await(() -> count("upstream") == 2);
            LAB.get().addTool(tool("public_d"));
            await(() -> count("upstream") == 4);
            await(() -> devHeard.size() == 1 && opsHeard.size() == 2);
            assertThat(devHeard).containsExactly("notifications/tools/list_changed");
            assertThat(counter("upstream", "unchanged")).as("dev was not told of secret_c").isEqualTo(1);
            assertThat(tools(dev)).containsExactly("public_a", "public_d");
            assertThat(tools(ops)).containsExactly("public_a", "secret_b", "secret_c", "public_d");

            Files.writeString(POLICY_FILE, WIDE); // dev now sees everything; ops saw everything already
            await(() -> count("authorization") == 2);
            await(() -> devHeard.size() == 2);
            assertThat(devHeard).containsExactly("notifications/tools/list_changed", "notifications/tools/list_changed");
            assertThat(counter("authorization", "unchanged")).as("ops' view did not change").isEqualTo(1);
            assertThat(opsHeard).hasSize(2);
            assertThat(tools(dev)).containsExactly("public_a", "secret_b", "secret_c", "public_d");
            devStream.body().close(); // ends the GET streams (closing the clients would wait for them)
            opsStream.body().close();
        }
    }

    private static McpServerFeatures.SyncToolSpecification tool(String name) {
        return SdkServers.tool(name, "The " + name + " tool", SdkServers.NOTHING, (exchange, request) -> SdkServers.text(name));
    }

    private static RawMcpClient client(String key) throws Exception {
        RawMcpClient client = new RawMcpClient(GATEWAY.uri("/mcp")).header("Authorization", "Bearer " + key);
        client.initialize(RawMcpClient.object());
        return client;
    }

    private static List<String> tools(RawMcpClient client) throws Exception {
        List<String> names = new ArrayList<>();
        client.call("tools/list", RawMcpClient.object()).path("result").path("tools").forEach(t -> names.add(t.path("name").asText()));
        return names;
    }

    /** Opens the client's GET stream; the methods of the notifications it carries go to {@code heard}. */
    private static HttpResponse<Stream<String>> listen(RawMcpClient client, List<String> heard) throws Exception {
        HttpResponse<Stream<String>> stream = client.http().send(client.builder().setHeader("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread.ofVirtual().start(() -> stream.body().forEach(line -> {
            if (line.startsWith("data:") && line.length() > 6) {
                JsonNode message = RawMcpClient.parse(line.substring(5).trim());
                if (message.has("method")) {
                    heard.add(message.path("method").asText());
                }
            }
        }));
        return stream;
    }

    private static double count(String source) {
        return counter(source, "forwarded") + counter(source, "unchanged");
    }

    private static double counter(String source, String outcome) {
        Counter counter = GATEWAY.meterRegistry().find("agentgateway.mcp.list_changed").tag("source", source).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits for what the gateway does in the background; a deadline only against hanging. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s for the gateway").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Path policyFile() {
        try {
            Path file = Files.createTempFile("list-changed", ".cedar");
            Files.writeString(file, NARROW);
            file.toFile().deleteOnExit();
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
