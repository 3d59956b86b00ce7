package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.support.NodePeers;
import dev.agentgateway.mcp.support.NodeProcess;
import dev.agentgateway.mcp.support.NodeScript;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two differently authorised callers, each the official MCP TypeScript SDK client (1.32.2), on one
 * gateway federating server-everything (2026.8.31) over stdio ({@code local}) and Streamable HTTP
 * ({@code remote}), with Cedar deciding: each lists and calls exactly its own tools, prompts and
 * resources, across every page, an argument rule limits one tool, and a refused call reads exactly like
 * a call to a tool that does not exist.
 */
class CedarFederationTest {
    static final NodeProcess HTTP = NodePeers.everythingHttp("streamableHttp");
    static final String DEV = ApiKeys.generate();
    static final String OPS = ApiKeys.generate();

    static final String POLICIES = """
            // dev: echo and get-sum of the local server, get-sum only for small numbers; its prompts
            permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"local")
            when { resource.name == "echo" || (resource.name == "get-sum" && (context.method == "tools/list"
                   || (context has arguments && context.arguments has a && context.arguments.a < 100))) };
            permit(principal in Group::"dev", action == Action::"get_prompt", resource in McpTarget::"local");
            // ops: everything of the remote server
            permit(principal in Group::"ops", action, resource in McpTarget::"remote");
            """;

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.of(g -> g.route(Route.builder("mcp").path("/mcp")
            .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                    ApiKey.builder("dev-key").key(DEV).roles("dev").build(),
                    ApiKey.builder("ops-key").key(OPS).roles("ops").build())).build()))
            .policy(CedarAuthorization.builder().policies(POLICIES)
                    .schemaExtension("type Arguments = { a?: Long, b?: Long, message?: String };").build())
            .backend(McpBackend.builder()
                    .target(McpTarget.stdio("local", NodePeers.node(), NodePeers.everythingScript(), "stdio"))
                    .target(McpTarget.streamableHttp("remote", URI.create(HTTP.url("/mcp"))))
                    .build())));

    @AfterAll
    static void stop() {
        HTTP.close();
    }

    @Test
    void eachCallerSeesAndCallsItsOwnSet() throws Exception {
        String calls = """
                [["local_echo", {"message": "hi"}], ["local_get-sum", {"a": 1, "b": 2}], ["local_get-sum", {"a": 500, "b": 2}],
                 ["remote_echo", {"message": "hi"}], ["no_such_tool", {}]]""";
        JsonNode dev = NodeScript.run("ts-authz-client.mjs", 120, GATEWAY.uri("/mcp").toString(), DEV, calls);
        assertThat(dev.path("errors")).as("%s", dev).isEmpty();
        assertThat(strings(dev.path("tools"))).containsExactly("local_echo", "local_get-sum");
        assertThat(strings(dev.path("prompts"))).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("local_"));
        assertThat(strings(dev.path("resources"))).isEmpty();
        JsonNode devCalls = dev.path("calls");
        assertThat(devCalls.get(0).path("text").asText()).isEqualTo("Echo: hi");
        assertThat(devCalls.get(1).path("text").asText()).contains("3");
        for (int refused : new int[] {2, 3}) { // refused: an argument rule, a tool of another target
            assertThat(devCalls.get(refused).path("code").asInt()).as("%s", devCalls).isEqualTo(-32602);
            assertThat(devCalls.get(refused).path("message").asText()).isEqualTo(devCalls.get(4).path("message").asText()
                    .replace("no_such_tool", devCalls.get(refused).path("name").asText()));
        }

        JsonNode ops = NodeScript.run("ts-authz-client.mjs", 120, GATEWAY.uri("/mcp").toString(), OPS,
                "[[\"remote_echo\", {\"message\": \"ops\"}], [\"local_echo\", {\"message\": \"ops\"}]]");
        assertThat(ops.path("errors")).as("%s", ops).isEmpty();
        assertThat(strings(ops.path("tools"))).contains("remote_echo", "remote_get-sum").allSatisfy(name -> assertThat(name).startsWith("remote_"));
        assertThat(strings(ops.path("prompts"))).isNotEmpty().allSatisfy(name -> assertThat(name).startsWith("remote_"));
        // remote's resources only (the gateway's URIs name the target)
        assertThat(strings(ops.path("resources"))).isNotEmpty().allSatisfy(uri -> assertThat(uri).contains("remote"));
        assertThat(ops.path("calls").get(0).path("text").asText()).isEqualTo("Echo: ops");
        assertThat(ops.path("calls").get(1).path("message").asText()).contains("Unknown tool: local_echo");
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
