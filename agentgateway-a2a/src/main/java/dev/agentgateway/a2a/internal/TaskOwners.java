package dev.agentgateway.a2a.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.agentgateway.core.Principal;

/**
 * Which principal created each task seen through the gateway, per running backend. Bounded: at most
 * {@code maxTasks} entries, the least recently used evicted first, and an entry not used for
 * {@code idle} expires. A forgotten task has no owner any more and is reachable by anyone who knows its
 * id, as a task created anonymously is (fail open: the alternative, remembering forgotten ids, would
 * need unbounded memory). Thread-safe.
 */
final class TaskOwners {
    private record Owned(String owner, String subject, long lastUsed) {
    }

    /** A task's owner: the principal's key and its subject (for policies). */
    record Owner(String key, String subject) {
    }

    private final int maxTasks;
    private final long idleNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Owned> entries;

    TaskOwners(int maxTasks, Duration idle, LongSupplier clock) {
        this.maxTasks = maxTasks;
        this.idleNanos = idle.toNanos();
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Owned> eldest) {
                return size() > TaskOwners.this.maxTasks;
            }
        };
    }

    /** The key a principal owns tasks under: scheme and subject, so that equal names from two schemes differ. */
    static String key(Principal principal) {
        return principal == null ? null : principal.scheme() + ":" + principal.subject();
    }

    /** Records {@code owner} as the owner of {@code taskId} unless the task already has one. */
    synchronized void claim(String taskId, Principal owner) {
        long now = clock.getAsLong();
        Owned existing = live(taskId, now);
        if (existing == null) {
            entries.put(taskId, new Owned(key(owner), owner.subject(), now));
        }
    }

    /** The owner of {@code taskId}, or {@code null} when it has none (anonymous, unknown or forgotten). */
    synchronized Owner owner(String taskId) {
        long now = clock.getAsLong();
        Owned entry = live(taskId, now);
        if (entry == null) {
            return null;
        }
        entries.put(taskId, new Owned(entry.owner(), entry.subject(), now));
        return new Owner(entry.owner(), entry.subject());
    }

    synchronized int size() {
        return entries.size();
    }

    private Owned live(String taskId, long now) {
        Owned entry = entries.get(taskId);
        if (entry != null && now - entry.lastUsed() > idleNanos) {
            entries.remove(taskId);
            return null;
        }
        return entry;
    }
}
