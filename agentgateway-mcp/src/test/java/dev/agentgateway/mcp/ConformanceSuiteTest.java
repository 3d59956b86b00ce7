package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
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
    /** The modern-era fixture (TypeScript SDK v2 server), a 2026-07-28 target. */
    static final NodeProcess MODERN_FIXTURE = NodePeers.modernFixture();

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g
            .route(Route.builder("mcp").path("/mcp")
                    .backend(McpBackend.builder().target(McpTarget.streamableHttp("fixture", FIXTURE.uri())).build()))
            .route(Route.builder("tasks").path("/tasks")
                    .backend(McpBackend.builder().target(McpTarget.stdio("tasks", NodePeers.node(),
                            NodePeers.jsDir().resolve("legacy-tasks-fixture.mjs").toString())).build()))
            .route(Route.builder("modern").path("/modern")
                    .backend(McpBackend.builder().target(McpTarget.streamableHttp("modern", URI.create(MODERN_FIXTURE.url("/mcp")))).build())));

    @AfterAll
    static void stop() throws Exception {
        FIXTURE.close();
        MODERN_FIXTURE.close();
    }

    /**
     * 2026-07-28 against a modern target: directly, then through the gateway (the modern face in front of a
     * modern target, MRTR rounds bridged with the target's own keys, the target's own tasks routed back to
     * it). Every scenario that passes directly passes through the gateway.
     */
    @Test
    void release020alpha12For20260728ModernTarget() throws Exception {
        Map<String, List<String>> direct = run("conformance-next", List.of("--requirements", "2026-07-28"),
                MODERN_FIXTURE.url("/mcp"), "0.2.0-alpha.12-2026-modern/direct");
        Map<String, List<String>> gateway = run("conformance-next", List.of("--requirements", "2026-07-28"),
                GATEWAY.uri("/modern").toString(), "0.2.0-alpha.12-2026-modern/gateway");
        System.out.println("conformance 2026-07-28 modern target, direct: " + summary(direct));
        System.out.println("conformance 2026-07-28 modern target, through the gateway: " + summary(gateway));
        List<String> passedDirectly = direct.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        assertThat(passedDirectly).as("the modern fixture is a meaningful baseline: %s", direct).hasSizeGreaterThanOrEqualTo(46)
                .as("the fixture's own tasks extension (modern-tasks.mjs) passes directly").containsAll(TASK_SCENARIOS);
        for (String scenario : passedDirectly) {
            assertThat(gateway.get(scenario)).as("scenario %s through the gateway", scenario).isEmpty();
        }
    }

    @Test
    void release0116() throws Exception {
        compare("@modelcontextprotocol/conformance", "0.1.16", List.of("--suite", "all"), 30);
    }

    @Test
    void release020alpha12For20251125() throws Exception {
        compare("conformance-next", "0.2.0-alpha.12", List.of("--spec-version", "2025-11-25"), 30);
    }

    /**
     * The 2026-07-28 requirements through the gateway's modern face to the legacy fixture (which cannot be
     * run directly: it speaks only the legacy era). Everything passes but what only a modern server can
     * provide: the input_required scenarios call the modern fixture's own MRTR tools and expect its own
     * input keys (a legacy target's requests get the gateway's keys), {@code test_missing_capability}
     * needs a server that declares its needs up front, and the tasks scenarios call task tools this fixture
     * does not have (they pass against a legacy fixture that has them: {@link #release020alpha12TasksExtensionOverLegacyTasks}).
     */
    @Test
    void release020alpha12For20260728ThroughTheModernFace() throws Exception {
        Map<String, List<String>> gateway = run("conformance-next", List.of("--requirements", "2026-07-28"),
                GATEWAY.uri("/mcp").toString(), "0.2.0-alpha.12-2026/gateway");
        System.out.println("conformance 2026-07-28 through the gateway: " + summary(gateway));
        List<String> modernFixtureOnly = List.of("input-required-result-basic-elicitation", "input-required-result-basic-sampling",
                "input-required-result-basic-list-roots", "input-required-result-request-state", "input-required-result-multiple-input-requests",
                "input-required-result-multi-round", "input-required-result-non-tool-request", "input-required-result-result-type",
                "input-required-result-tampered-state", "input-required-result-capability-check");
        assertThat(gateway).containsKeys("server-stateless", "caching", "http-header-validation", "http-custom-header-server-validation",
                "sep-2164-resource-not-found", "input-required-result-unsupported-methods", "input-required-result-validate-input");
        assertThat(gateway.size()).as("scenarios run").isGreaterThanOrEqualTo(50);
        gateway.forEach((scenario, failures) -> {
            if (scenario.startsWith("tasks-") || modernFixtureOnly.contains(scenario)) {
                return;
            }
            List<String> unexpected = scenario.equals("server-stateless")
                    ? failures.stream().filter(failure -> !failure.contains("test_missing_capability")).toList() : failures;
            assertThat(unexpected).as("scenario %s through the modern face", scenario).isEmpty();
        });
    }

    /** The tasks extension's scenarios (SEP-2663), each run on its own. */
    private static final List<String> TASK_SCENARIOS = List.of("tasks-lifecycle", "tasks-capability-negotiation", "tasks-wire-fields",
            "tasks-request-state-removal", "tasks-mrtr-input", "tasks-request-headers", "tasks-dispatch-and-envelope",
            "tasks-status-notifications", "tasks-required-task-error", "tasks-mrtr-composition");

    /**
     * The 2026 tasks extension served by the gateway's modern face over a legacy target's tasks: the
     * legacy fixture (TypeScript SDK v1, 2025-11-25 tasks) has the tools the scenarios call, and the
     * gateway turns its tasks into the extension's (flat CreateTaskResult, tasks/get with the result
     * inlined, tasks/update for input, the empty cancel ack, -32021 without the extension).
     */
    @Test
    void release020alpha12TasksExtensionOverLegacyTasks() throws Exception {
        Map<String, List<String>> gateway = new TreeMap<>();
        for (String scenario : TASK_SCENARIOS) {
            gateway.putAll(run("conformance-next", List.of("--scenario", scenario),
                    GATEWAY.uri("/tasks").toString(), "0.2.0-alpha.12-tasks/" + scenario));
        }
        System.out.println("conformance tasks extension over legacy tasks, through the gateway: " + summary(gateway));
        assertThat(gateway.keySet()).containsAll(TASK_SCENARIOS);
        gateway.forEach((scenario, failures) -> assertThat(failures).as("scenario %s", scenario).isEmpty());
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
        Path output = Path.of("target/conformance/" + label).toAbsolutePath();
        if (Files.exists(output)) { // results of an earlier run would be read as this one's
            try (Stream<Path> old = Files.walk(output)) {
                for (Path path : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(output);
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
