package dev.agentgateway.mcp.internal.downstream;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tasks one legacy session created on modern targets through {@link LegacyTaskBridge}, oldest
 * first, under the targets' own ids. The 2026 tasks extension has no {@code tasks/list}, so the gateway
 * lists these itself. Bounded: past {@link #MAX} the oldest is forgotten (it still answers
 * {@code tasks/get}, whose routing needs no state, but is no longer listed).
 */
final class BridgedTaskIds {
    static final int MAX = 1_000;

    /** One remembered task; {@code sequence} orders them and is what a page's cursor names. */
    record Known(long sequence, String target, String taskId) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Known> known = new LinkedHashMap<>();
    private long sequence;

    void add(String target, String taskId) {
        lock.lock();
        try {
            known.putIfAbsent(key(target, taskId), new Known(++sequence, target, taskId));
            if (known.size() > MAX) {
                Iterator<Known> oldest = known.values().iterator();
                oldest.next();
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a task its target no longer knows (its TTL passed). */
    void forget(String target, String taskId) {
        lock.lock();
        try {
            known.remove(key(target, taskId));
        } finally {
            lock.unlock();
        }
    }

    /** At most {@code limit} of {@code target}'s tasks created after the one with sequence {@code after}, oldest first. */
    List<Known> page(String target, long after, int limit) {
        lock.lock();
        try {
            List<Known> page = new ArrayList<>();
            for (Known task : known.values()) {
                if (task.sequence() > after && task.target().equals(target)) {
                    page.add(task);
                }
            }
            return page.size() > limit ? page.subList(0, limit + 1) : page; // one more tells there is a next page
        } finally {
            lock.unlock();
        }
    }

    boolean any(String target) {
        lock.lock();
        try {
            return known.values().stream().anyMatch(task -> task.target().equals(target));
        } finally {
            lock.unlock();
        }
    }

    private static String key(String target, String taskId) {
        return target + '\n' + taskId;
    }
}
