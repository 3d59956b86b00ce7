/**
 * OAuth-based {@link dev.agentgateway.core.UpstreamCredentials}: how the gateway obtains tokens for
 * the upstreams it calls. {@link dev.agentgateway.policy.upstream.ClientCredentials} is the gateway's
 * own identity (the client credentials grant); {@link dev.agentgateway.policy.upstream.TokenExchange}
 * exchanges the caller's token for one whose audience is the upstream (RFC 8693), so that no upstream
 * receives a token meant for the gateway.
 *
 * <pre>{@code
 * ClientCredentials gateway = ClientCredentials.builder()
 *         .tokenEndpoint("https://sso.example.com/oauth2/token")
 *         .clientSecretPost("agentgateway", secret)
 *         .audience("https://inventory.internal")
 *         .build();
 * TokenExchange onBehalf = TokenExchange.builder()
 *         .issuer("https://sso.example.com")
 *         .clientSecretBasic("agentgateway", secret)
 *         .audience("crm-mcp")
 *         .actor(gateway)                                   // optional: delegation
 *         .build();
 * }</pre>
 *
 * <p>Both cache their tokens, refresh them before they expire, send at most one request at a time for
 * the same token, and never log or print a token or the client secret.
 */
package dev.agentgateway.policy.upstream;
