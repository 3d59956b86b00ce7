package dev.agentgateway.samples;

import java.util.List;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.mcp.McpBackend;
import dev.agentgateway.mcp.McpTarget;

/**
 * Federates the reference MCP server, {@code @modelcontextprotocol/server-everything}, started over stdio
 * (one process per client session), behind {@code http://127.0.0.1:8080/mcp}. Needs Node.js; by default
 * runs it with {@code npx -y @modelcontextprotocol/server-everything@2026.8.31} (downloaded on first use);
 * pass another command as arguments, for example
 * {@code node agentgateway-mcp/src/test/js/node_modules/@modelcontextprotocol/server-everything/dist/index.js stdio}.
 *
 * <pre>
 * ./mvnw -B -DskipTests install &amp;&amp; ./mvnw -B -f samples exec:java -Dexec.mainClass=dev.agentgateway.samples.McpEverythingSample
 * npx @modelcontextprotocol/inspector --cli http://127.0.0.1:8080/mcp --transport http --method tools/list
 * </pre>
 */
public final class McpEverythingSample {
    private McpEverythingSample() {
    }

    public static void main(String[] args) throws Exception {
        List<String> command = args.length > 0 ? List.of(args)
                : List.of("npx", "-y", "@modelcontextprotocol/server-everything@2026.8.31", "stdio");
        try (Gateway gateway = Gateway.builder()
                .port(8080)
                .route(Route.builder("mcp").path("/mcp").backend(McpBackend.builder()
                        .target(McpTarget.stdio("everything", command.get(0), command.subList(1, command.size()).toArray(String[]::new)))
                        .build()))
                .start()) {
            System.out.println("server-everything is federated at " + gateway.uri() + "mcp (tools are named everything_<tool>)");
            gateway.awaitClose();
        }
    }
}
