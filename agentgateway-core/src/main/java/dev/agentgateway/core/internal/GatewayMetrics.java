package dev.agentgateway.core.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The gateway's HTTP server meters, named after the OpenTelemetry HTTP semantic conventions:
 * {@code http.server.request.duration} (timer by route, backend, method, status class and error type)
 * and {@code http.server.active_requests} (long task timer by route). Meters are looked up once per
 * combination of tags and kept, so a request costs a map lookup rather than a registration.
 */
final class GatewayMetrics {
    static final String REQUEST_DURATION = "http.server.request.duration";
    static final String ACTIVE_REQUESTS = "http.server.active_requests";

    private final MeterRegistry registry;
    private final String gateway;
    private final ConcurrentMap<String, LongTaskTimer> active = new ConcurrentHashMap<>();
    private final ConcurrentMap<RequestKey, Timer> requests = new ConcurrentHashMap<>();

    private record RequestKey(String route, String backend, String method, String statusClass, String errorType) {
    }

    GatewayMetrics(MeterRegistry registry, String gateway) {
        this.registry = registry;
        this.gateway = gateway;
    }

    LongTaskTimer.Sample startActive(String route) {
        return active.computeIfAbsent(route, name -> LongTaskTimer.builder(ACTIVE_REQUESTS)
                .description("Requests being served")
                .tags("gateway", gateway, "http.route", name)
                .register(registry)).start();
    }

    void recordRequest(String route, String backend, String method, int status, String errorType, long nanos) {
        RequestKey key = new RequestKey(route, backend, HttpMethods.forTag(method), statusClass(status),
                errorType == null ? "none" : errorType);
        requests.computeIfAbsent(key, k -> Timer.builder(REQUEST_DURATION)
                        .description("Duration of requests served by the gateway, until the last byte of the response")
                        .tags(Tags.of("gateway", gateway, "http.route", k.route(), "gateway.backend", k.backend(),
                                "http.request.method", k.method(), "http.response.status_class", k.statusClass(),
                                "error.type", k.errorType()))
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String statusClass(int status) {
        return switch (status / 100) {
            case 1 -> "1xx";
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            default -> "5xx";
        };
    }
}
