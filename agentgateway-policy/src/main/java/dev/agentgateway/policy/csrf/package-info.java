/**
 * Cross-site request forgery protection for browser-facing routes: {@link dev.agentgateway.policy.csrf.Csrf}
 * refuses state-changing requests that a browser sent on behalf of another site, judged from
 * {@code Sec-Fetch-Site} and {@code Origin}, with no tokens to issue or store.
 *
 * <pre>{@code
 * Route.builder("playground").pathPrefix("/playground")
 *         .policy(Csrf.builder().trustedOrigins("https://app.example.com").build())
 *         .backend(backend)
 *         .build();
 * }</pre>
 */
package dev.agentgateway.policy.csrf;
