/**
 * OAuth for MCP servers behind the gateway, as the MCP authorization specification asks of a
 * resource server: {@link dev.agentgateway.policy.oauth.ProtectedResource} gives the RFC 9728
 * metadata routes, the authentication policy whose {@code 401} points clients to that metadata, and
 * the scope check answering {@code 403 insufficient_scope} for step-up.
 * {@link dev.agentgateway.policy.oauth.AuthorizationServerMetadata} serves RFC 8414 metadata for an
 * identity provider that only publishes OpenID Connect discovery.
 *
 * <pre>{@code
 * ProtectedResource mcp = ProtectedResource.builder("/mcp")
 *         .issuer(JwtIssuer.builder("https://idp.example").discovery().anyAudience().build())
 *         .actionScopes("list_tools", "tools:read").actionScopes("call_tool", "tools:call")
 *         .build();
 * Gateway.builder()
 *         .route(Route.builder("mcp").path("/mcp").policy(mcp.authentication()).policy(mcp.scopeCheck()).backend(backend))
 *         .routes(mcp.metadataRoutes())
 *         .start();
 * }</pre>
 */
package dev.agentgateway.policy.oauth;
