package dev.agentgateway.mcp.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The meters of one bound MCP backend:
 * <ul>
 * <li>{@code agentgateway.mcp.requests} (timer): client requests by {@code mcp.method.name},
 *     {@code mcp.target} ({@code "*"} for fan-out, {@code "gateway"} for ones answered locally) and
 *     {@code outcome} ({@code ok}, {@code error} for a JSON-RPC error);</li>
 * <li>{@code agentgateway.mcp.sessions.active} (gauge): client sessions alive in this gateway;</li>
 * <li>{@code agentgateway.mcp.upstream.failures} (counter): by {@code mcp.target} and {@code reason};</li>
 * <li>{@code agentgateway.mcp.upstream.restarts} (counter): upstream sessions re-established (process restarts,
 *     re-initialisations after expiry) by {@code mcp.target};</li>
 * <li>{@code agentgateway.mcp.list_changed} (counter): list-changed notifications checked against a caller's
 *     view, by {@code source} ({@code upstream}, {@code authorization}) and {@code outcome}
 *     ({@code forwarded}, {@code unchanged}).</li>
 * </ul>
 */
public final class McpMetrics {
    private final MeterRegistry registry;
    private final String gateway;
    private final String backend;
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Gauge sessionsGauge;

    public McpMetrics(MeterRegistry registry, String gateway, String backend) {
        this.registry = registry;
        this.gateway = gateway;
        this.backend = backend;
    }

    /** Registers the gauge of sessions alive, read from {@code activeSessions}; {@link #close()} removes it. */
    public void activeSessions(Supplier<Number> activeSessions) {
        sessionsGauge = Gauge.builder("agentgateway.mcp.sessions.active", activeSessions)
                .description("MCP client sessions alive in this gateway")
                .tags("gateway", gateway, "gateway.backend", backend)
                .register(registry);
    }

    /**
     * Removes the sessions gauge, so that a stopped gateway is neither reported nor kept reachable by a
     * long-lived registry (such as the global one).
     */
    public void close() {
        Gauge gauge = sessionsGauge;
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    public void request(String method, String target, boolean ok, long nanos) {
        // method names are bounded by the caller; targets by the configuration
        timers.computeIfAbsent(method + '\n' + target + '\n' + ok, key -> Timer.builder("agentgateway.mcp.requests")
                        .description("MCP requests from clients, by method, target and outcome")
                        .tags("gateway", gateway, "gateway.backend", backend, "mcp.method.name", method, "mcp.target", target,
                                "outcome", ok ? "ok" : "error")
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void sessionEvicted() {
        Counter.builder("agentgateway.mcp.sessions.evicted")
                .description("Client sessions ended because maxSessions were alive and a new one began")
                .tags("gateway", gateway, "gateway.backend", backend)
                .register(registry)
                .increment();
    }

    public void upstreamFailure(String target, String reason) {
        Counter.builder("agentgateway.mcp.upstream.failures")
                .description("Failures of upstream MCP sessions (process exits, dropped streams, errors, timeouts)")
                .tags("gateway", gateway, "gateway.backend", backend, "mcp.target", target, "reason", reason)
                .register(registry)
                .increment();
    }

    public void upstreamRestart(String target) {
        Counter.builder("agentgateway.mcp.upstream.restarts")
                .description("Upstream MCP sessions re-established after a crash or an expiry")
                .tags("gateway", gateway, "gateway.backend", backend, "mcp.target", target)
                .register(registry)
                .increment();
    }

    /**
     * A list-changed notification checked against a caller's view: {@code source} {@code upstream} (a
     * target's notification) or {@code authorization} (policies changed), forwarded or not.
     */
    public void listChanged(String source, boolean forwarded) {
        Counter.builder("agentgateway.mcp.list_changed")
                .description("List-changed notifications checked against each caller's view, by source and outcome")
                .tags("gateway", gateway, "gateway.backend", backend, "source", source,
                        "outcome", forwarded ? "forwarded" : "unchanged")
                .register(registry)
                .increment();
    }
}
