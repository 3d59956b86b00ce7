package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The official MCP conformance suite (@modelcontextprotocol/conformance, server mode, on Node 22) against
 * a Java fixture server built with the MCP Java SDK: once directly, once through the gateway (the
 * fixture as the single Streamable HTTP target, names unprefixed). Every scenario the fixture passes
 * directly must pass through the gateway. Two releases: 0.1.16 (every scenario, pending ones included)
 * and 0.2.0-alpha.12 restricted to the 2025-11-25 revision (adds the session lifecycle: 404 after DELETE).
 */
class ConformanceSuiteTest {
    static final SdkHttpServer FIXTURE = new SdkHttpServer(ConformanceFixture::build);

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .backend(McpBackend.builder().target(McpTarget.streamableHttp("fixture", FIXTURE.uri())).build())));

    @AfterAll
    static void stop() throws Exception {
        FIXTURE.close();
    }

    @Test
    void release0116() throws Exception {
        compare("@modelcontextprotocol/conformance", "0.1.16", List.of("--suite", "all"), 30);
    }

    @Test
    void release020alpha12For20251125() throws Exception {
        compare("conformance-next", "0.2.0-alpha.12", List.of("--spec-version", "2025-11-25"), 30);
    }

    private static void compare(String module, String label, List<String> options, int baseline) throws Exception {
        Map<String, List<String>> direct = run(module, options, FIXTURE.uri().toString(), label + "/direct");
        Map<String, List<String>> gateway = run(module, options, GATEWAY.uri("/mcp").toString(), label + "/gateway");
        List<String> passedDirectly = direct.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        System.out.println("conformance " + label + " direct: " + summary(direct));
        System.out.println("conformance " + label + " through the gateway: " + summary(gateway));
        assertThat(passedDirectly).as("the fixture is a meaningful baseline: %s", direct).hasSizeGreaterThanOrEqualTo(baseline);
        for (String scenario : passedDirectly) {
            assertThat(gateway.get(scenario)).as("scenario %s through the gateway", scenario).isEmpty();
        }
        assertThat(gateway.get("dns-rebinding-protection")).as("the gateway's own Origin check").isEmpty();
    }

    private static String summary(Map<String, List<String>> results) {
        long passed = results.values().stream().filter(List::isEmpty).count();
        StringBuilder out = new StringBuilder(passed + "/" + results.size() + " scenarios passed");
        results.forEach((scenario, failures) -> {
            if (!failures.isEmpty()) {
                out.append("\n  ").append(scenario).append(": ").append(failures);
            }
        });
        return out.toString();
    }

    /** Runs the suite; returns each scenario with its failed checks (empty: passed). */
    private static Map<String, List<String>> run(String module, List<String> options, String url, String label) throws Exception {
        Path output = Files.createDirectories(Path.of("target/conformance/" + label).toAbsolutePath());
        String cli = NodePeers.jsDir().resolve("node_modules/" + module + "/dist/index.js").toString();
        List<String> command = new java.util.ArrayList<>(List.of(NodePeers.node22(), cli, "server", "--url", url, "-o", output.toString()));
        command.addAll(options);
        try (NodeProcess process = NodeProcess.start(command, Map.of(), NodePeers.jsDir(), "conformance-" + label)) {
            process.await(600);
            Files.writeString(output.resolve("console.txt"), process.output());
        }
        Map<String, List<String>> results = new TreeMap<>();
        try (Stream<Path> files = Files.walk(output)) {
            for (Path checks : files.filter(p -> p.getFileName().toString().equals("checks.json")).toList()) {
                String scenario = checks.getParent().getFileName().toString().replaceFirst("^server-", "").replaceFirst("-\\d[\\d-T:.Z]*$", "");
                results.put(scenario, failures(checks));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("the conformance suite wrote no results for " + url + ":\n"
                    + Files.readString(output.resolve("console.txt")));
        }
        return results;
    }

    private static List<String> failures(Path checks) throws IOException {
        JsonNode array = RawMcpClient.parse(Files.readString(checks));
        return java.util.stream.StreamSupport.stream(array.spliterator(), false)
                .filter(check -> check.path("status").asText().equals("FAILURE"))
                .map(check -> check.path("id").asText() + ": " + check.path("errorMessage").asText())
                .toList();
    }
}
