/**
 * The A2A (Agent2Agent) gateway: agents behind the gateway, reachable only through it, for A2A v0.3 and
 * v1.0.
 *
 * <ul>
 * <li>{@link dev.agentgateway.a2a.A2aBackend}: one agent on a route prefix; its card rewritten, JSON-RPC,
 *     REST and server-sent events relayed, each call recorded for policies and meters.</li>
 * <li>{@link dev.agentgateway.a2a.A2aDirectory}: one endpoint listing every agent's card.</li>
 * <li>{@link dev.agentgateway.a2a.PushNotifications}: what happens to push-notification webhooks
 *     (checked against SSRF, or relayed through the gateway).</li>
 * <li>{@link dev.agentgateway.a2a.A2aCall} and {@link dev.agentgateway.a2a.A2aResult}: the facts recorded
 *     on each exchange, next to a core {@link dev.agentgateway.core.Operation}.</li>
 * </ul>
 *
 * <pre>{@code
 * Route planner = Route.builder("planner").pathPrefix("/agents/planner")
 *         .backend(A2aBackend.of("http://127.0.0.1:9100")).build();
 * try (Gateway gateway = Gateway.builder()
 *         .route(planner)
 *         .route(Route.builder("agents").path("/.well-known/agents").backend(A2aDirectory.of(planner)))
 *         .start()) {
 *     // GET {gateway}/agents/planner/.well-known/agent-card.json, POST {gateway}/agents/planner ...
 * }
 * }</pre>
 *
 * <p>Everything under {@code dev.agentgateway.a2a.internal} is not API.
 */
package dev.agentgateway.a2a;
