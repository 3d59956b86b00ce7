package dev.agentgateway.llm.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Caps failover retries across all requests of a backend, so that a provider outage does not multiply
 * the load on the others: within each 10-second window, retries may number at most
 * {@code minRetries + ratio × requests} (the scheme of Envoy's and Linkerd's retry budgets).
 */
final class RetryBudget {
    private static final long WINDOW = 10_000_000_000L;

    private final double ratio;
    private final int minRetries;
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    RetryBudget(double ratio, int minRetries) {
        this.ratio = ratio;
        this.minRetries = minRetries;
    }

    void request() {
        roll();
        requests.incrementAndGet();
    }

    /** Takes one retry from the budget; false when it is spent. */
    boolean tryRetry() {
        roll();
        while (true) {
            long used = retries.get();
            if (used >= minRetries + (long) (ratio * requests.get())) {
                return false;
            }
            if (retries.compareAndSet(used, used + 1)) {
                return true;
            }
        }
    }

    private void roll() {
        long start = windowStart.get();
        long now = System.nanoTime();
        if (now - start > WINDOW && windowStart.compareAndSet(start, now)) {
            requests.set(0);
            retries.set(0);
        }
    }
}
