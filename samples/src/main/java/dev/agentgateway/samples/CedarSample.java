package dev.agentgateway.samples;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.cedar.CedarAuthorization;

/**
 * Per-caller tool sets with Cedar, offline: the quickstart's two in-process MCP servers behind
 * {@code /mcp}, two API keys, and policies that let a reader see the clock and read notes, and a
 * writer also add notes, but never a note that mentions a password.
 *
 * <pre>
 * ./mvnw -B -DskipTests install &amp;&amp; ./mvnw -B -f samples exec:java -Dsample.main=dev.agentgateway.samples.CedarSample
 * </pre>
 */
public final class CedarSample {
    /** Demo keys, printed at start; never use fixed keys outside a demo. */
    static final String READER_KEY = "agw_demo_reader_key_0123456789abcdef";
    static final String WRITER_KEY = "agw_demo_writer_key_0123456789abcdef";

    static final String POLICIES = """
            @id("everyone reads")
            permit(principal in Group::"readers", action == Action::"call_tool", resource)
            when { resource == Tool::"clock_now" || resource == Tool::"notes_list" };
            permit(principal in Group::"readers", action == Action::"read_resource", resource in McpTarget::"notes");

            @id("writers add notes")
            permit(principal in Group::"writers", action == Action::"call_tool", resource == Tool::"notes_add");

            @id("no secrets in notes")
            forbid(principal, action == Action::"call_tool", resource == Tool::"notes_add")
            when { context has arguments && context.arguments has text && context.arguments.text like "*password*" };
            """;

    private CedarSample() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Gateway gateway = start(port);
        System.out.println("MCP gateway with Cedar on http://localhost:" + gateway.port() + "/mcp");
        System.out.println("reader key: " + READER_KEY + "\nwriter key: " + WRITER_KEY
                + "\n(send as Authorization: Bearer <key>; a reader's tools/list shows clock_now and notes_list only)");
        Thread.currentThread().join();
    }

    /** Starts the gateway (port 0: ephemeral). */
    static Gateway start(int port) {
        return Gateway.builder().port(port)
                .route(Route.builder("mcp").path("/mcp")
                        .policy(Authentication.required(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(
                                ApiKey.builder("reader").key(READER_KEY).roles("readers").build(),
                                ApiKey.builder("writer").key(WRITER_KEY).roles("readers", "writers").build())).build()))
                        .policy(CedarAuthorization.builder().policies(POLICIES)
                                .schemaExtension("type Arguments = { text?: String };").build())
                        .backend(McpDemo.backend()))
                .start();
    }
}
