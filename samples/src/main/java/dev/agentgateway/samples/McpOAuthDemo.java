package dev.agentgateway.samples;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.JwtIssuer;
import dev.agentgateway.policy.oauth.ProtectedResource;
import dev.agentgateway.test.oauth.ResourceTokens;
import java.net.URI;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * The quickstart's MCP servers behind the MCP authorization spec, with an authorization server
 * embedded (mock-oauth2-server), all offline: {@code /mcp} answers 401 pointing to its RFC 9728
 * metadata; a token from the embedded server's token endpoint, issued for the resource (RFC 8707)
 * with scope {@code tools:read}, lists tools; calling one needs {@code tools:call} (403
 * {@code insufficient_scope} otherwise). Run it and follow the commands it prints:
 *
 * <pre>
 * ./mvnw -B -DskipTests install &amp;&amp; ./mvnw -B -f samples exec:java -Dsample.main=dev.agentgateway.samples.McpOAuthDemo
 * </pre>
 */
public final class McpOAuthDemo implements AutoCloseable {
    static final String ISSUER_ID = "demo";

    private final MockOAuth2Server idp;
    private final Gateway gateway;

    private McpOAuthDemo(MockOAuth2Server idp, Gateway gateway) {
        this.idp = idp;
        this.gateway = gateway;
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        int idpPort = args.length > 1 ? Integer.parseInt(args[1]) : 8081;
        McpOAuthDemo demo = start(port, idpPort);
        System.out.println("MCP gateway with OAuth on " + demo.mcpUrl() + ", authorization server " + demo.issuer());
        System.out.println("Try:\n" + demo.commands());
        Thread.currentThread().join();
    }

    /** Starts the authorization server and the gateway (port 0: ephemeral). */
    static McpOAuthDemo start(int port, int idpPort) {
        MockOAuth2Server idp = ResourceTokens.start(ISSUER_ID, idpPort); // aud = the requested resource (RFC 8707)
        ProtectedResource mcp = ProtectedResource.builder("/mcp")
                // the resource is derived from the request's Host, fine on localhost; set .resource(...) in production
                .issuer(JwtIssuer.builder(idp.issuerUrl(ISSUER_ID).toString()).discovery().anyAudience().build())
                .scopesSupported("tools:read", "tools:call")
                .actionScopes("list_tools", "tools:read")
                .actionScopes("call_tool", "tools:call")
                .challengeScopes("tools:read")
                .resourceName("agentgateway quickstart MCP servers")
                .build();
        try {
            Gateway gateway = Gateway.builder().port(port)
                    .route(Route.builder("mcp").path("/mcp").policy(mcp.authentication()).policy(mcp.scopeCheck())
                            .backend(McpDemo.backend()))
                    .routes(mcp.metadataRoutes())
                    .start();
            return new McpOAuthDemo(idp, gateway);
        } catch (RuntimeException e) {
            idp.shutdown();
            throw e;
        }
    }

    URI mcpUrl() {
        return URI.create("http://localhost:" + gateway.port() + "/mcp");
    }

    String issuer() {
        return idp.issuerUrl(ISSUER_ID).toString();
    }

    String tokenEndpoint() {
        return idp.tokenEndpointUrl(ISSUER_ID).toString();
    }

    /** The shell commands that walk through the flow, one per line. */
    String commands() {
        String accept = "-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream'";
        return """
                  curl -si -X POST %1$s %2$s -d '{"jsonrpc":"2.0","id":1,"method":"ping"}'    # 401, WWW-Authenticate names the metadata
                  curl -s http://localhost:%4$d/.well-known/oauth-protected-resource/mcp
                  TOKEN=$(curl -s %3$s -d grant_type=client_credentials -d client_id=demo -d client_secret=demo \\
                       -d 'scope=tools:read tools:call' -d resource=%1$s | tr -d ' \\n' | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                  SESSION=$(curl -si %1$s %2$s -H "Authorization: Bearer $TOKEN" \\
                       -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}' \\
                       | tr -d '\\r' | awk 'tolower($1)=="mcp-session-id:" {print $2}')
                  curl -s %1$s %2$s -H "Authorization: Bearer $TOKEN" -H "Mcp-Session-Id: $SESSION" \\
                       -d '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"clock_now","arguments":{}}}'
                """.formatted(mcpUrl(), accept, tokenEndpoint(), gateway.port());
    }

    @Override
    public void close() {
        try {
            gateway.close();
        } finally {
            idp.shutdown();
        }
    }
}
