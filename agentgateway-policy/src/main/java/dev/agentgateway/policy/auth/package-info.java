/**
 * Authentication for every protocol: the {@link dev.agentgateway.policy.auth.Authentication}
 * policy and its {@link dev.agentgateway.policy.auth.Authenticator}s (JWT bearer tokens, API keys,
 * basic auth), each turning a credential into a {@link dev.agentgateway.core.Principal}.
 *
 * <pre>{@code
 * Gateway.builder()
 *     .policy(Authentication.required(JwtAuth.builder()
 *         .issuer(JwtIssuer.builder("https://login.example.com").discovery().audience("api://gw").build())
 *         .build()))
 *     ...
 * }</pre>
 */
package dev.agentgateway.policy.auth;
