package dev.agentgateway.a2a.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The A2A meters of one gateway. There is no official semantic convention for A2A; names follow the
 * reference product's {@code a2a_*} metrics in Micrometer's dotted form.
 */
public final class A2aMetrics {
    private final MeterRegistry registry;
    private final String gateway;
    private final Map<String, AtomicInteger> activeStreams = new ConcurrentHashMap<>();

    public A2aMetrics(MeterRegistry registry, String gateway) {
        this.registry = registry;
        this.gateway = gateway;
    }

    /** One request done: counted by agent, binding, version, method, outcome and error code; timed by agent, method, outcome. */
    public void request(String agent, String binding, String version, String method, String outcome, String errorCode,
                        long nanos) {
        Counter.builder("a2a.requests")
                .description("A2A requests by agent, binding, protocol version, method, outcome and error code")
                .tags("gateway", gateway, "agent", agent, "binding", binding, "version", version.isEmpty() ? "unknown" : version,
                        "method", method, "outcome", outcome, "error_code", errorCode)
                .register(registry)
                .increment();
        Timer.builder("a2a.request.duration")
                .description("Time from receiving an A2A request to the end of its answer (a stream's end for streams)")
                .tags("gateway", gateway, "agent", agent, "method", method, "outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A stream opened. */
    public void streamOpened(String agent) {
        activeStreams(agent).incrementAndGet();
    }

    /** A stream closed (normally or not). */
    public void streamClosed(String agent) {
        activeStreams(agent).decrementAndGet();
    }

    private AtomicInteger activeStreams(String agent) {
        return activeStreams.computeIfAbsent(agent, name -> {
            AtomicInteger count = new AtomicInteger();
            Gauge.builder("a2a.active.streams", count, AtomicInteger::get)
                    .description("A2A server-sent-event streams being relayed")
                    .tags("gateway", gateway, "agent", name)
                    .strongReference(true)
                    .register(registry);
            return count;
        });
    }

    /** One server-sent event relayed, by kind ({@code task}, {@code message}, {@code status_update}, {@code artifact_update}, {@code error}). */
    public void streamEvent(String agent, String kind) {
        Counter.builder("a2a.stream.events")
                .description("A2A stream events relayed, by kind")
                .tags("gateway", gateway, "agent", agent, "event_kind", kind)
                .register(registry)
                .increment();
    }

    /** Time from the request to the first event of its stream. */
    public void firstEvent(String agent, String method, long nanos) {
        Timer.builder("a2a.stream.first.event")
                .description("Time from an A2A streaming request to its first event")
                .tags("gateway", gateway, "agent", agent, "method", method)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A task state seen in an answer or event. */
    public void taskState(String agent, String state) {
        Counter.builder("a2a.task.states")
                .description("Task states seen in A2A answers and stream events")
                .tags("gateway", gateway, "agent", agent, "state", state)
                .register(registry)
                .increment();
    }

    /** A push notification relayed: {@code delivered}, {@code failed} or {@code rejected}. */
    public void pushDelivery(String agent, String status) {
        Counter.builder("a2a.push.deliveries")
                .description("Push notifications relayed by the gateway to client webhooks")
                .tags("gateway", gateway, "agent", agent, "status", status)
                .register(registry)
                .increment();
    }
}
