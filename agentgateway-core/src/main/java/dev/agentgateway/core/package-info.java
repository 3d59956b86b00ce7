/**
 * The core of agentgateway: {@link dev.agentgateway.core.Gateway}, {@link dev.agentgateway.core.Route},
 * the {@link dev.agentgateway.core.Backend} and {@link dev.agentgateway.core.Policy} SPIs, the streaming
 * {@link dev.agentgateway.core.HttpBackend reverse proxy} and built-in policies such as
 * {@link dev.agentgateway.core.Cors}.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *         .port(8080)
 *         .route(Route.builder("web").pathPrefix("/").backend(HttpBackend.of("http://127.0.0.1:8081")))
 *         .start()) {
 *     gateway.awaitClose();
 * }
 * }</pre>
 */
package dev.agentgateway.core;
