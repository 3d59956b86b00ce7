package dev.agentgateway.core.internal.proxy;

import java.util.concurrent.atomic.AtomicInteger;

import dev.agentgateway.core.HttpBackend;

/**
 * The live state of one endpoint in one gateway: requests in flight (for least-request balancing)
 * and consecutive failures (for passive health checking).
 */
final class EndpointState {
    final HttpBackend.Endpoint endpoint;
    final String authority;
    final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final int failureThreshold;
    private final long cooldownNanos;
    private volatile long ejectedUntil;
    /** Smooth weighted round robin's running weight; guarded by the balancer's lock. */
    long currentWeight;

    EndpointState(HttpBackend.Endpoint endpoint, int failureThreshold, long cooldownNanos) {
        this.endpoint = endpoint;
        this.authority = endpoint.authority();
        this.failureThreshold = failureThreshold;
        this.cooldownNanos = cooldownNanos;
    }

    boolean isEjected(long now) {
        long until = ejectedUntil;
        return until != 0 && now - until < 0;
    }

    /** Records a success: the failure streak ends. */
    void succeeded() {
        consecutiveFailures.set(0);
    }

    /** Records a failure; returns true when this one ejected the endpoint. */
    boolean failed() {
        if (consecutiveFailures.incrementAndGet() >= failureThreshold) {
            consecutiveFailures.set(0);
            ejectedUntil = System.nanoTime() + cooldownNanos;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return endpoint.uri().toString();
    }
}
