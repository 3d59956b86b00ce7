package dev.agentgateway.test.support;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waits for something the gateway does after the client already has its answer (meters are recorded
 * once the last byte is written, which races with the client reading it).
 */
public final class Eventually {
    private Eventually() {
    }

    /** Returns the first non-null value {@code probe} gives within five seconds, or the last (null) one. */
    public static <T> T value(Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        T value = probe.get();
        while (value == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
            value = probe.get();
        }
        return value;
    }

    /** Waits until {@code condition} holds or five seconds pass; returns whether it held. */
    public static boolean holds(Supplier<Boolean> condition) throws InterruptedException {
        return value(() -> condition.get() ? Boolean.TRUE : null) != null;
    }
}
