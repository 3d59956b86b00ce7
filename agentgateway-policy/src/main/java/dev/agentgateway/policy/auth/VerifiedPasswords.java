package dev.agentgateway.policy.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Remembers, for a short time, that a user's password matched its bcrypt hash, so that a client
 * sending Basic credentials on every request pays bcrypt's deliberate slowness once, not each time.
 * Only a digest is kept: SHA-256 of a random per-cache salt, the bcrypt hash and the password, so
 * that a heap dump yields nothing to look up in a table, and a changed htpasswd entry no longer
 * matches. Failures are never remembered: each wrong guess costs a full bcrypt. Bounded: the least
 * recently used user goes when it is full.
 */
final class VerifiedPasswords {
    private record Verified(byte[] digest, long expiresNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final byte[] salt = new byte[32];
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Verified> entries; // guarded by lock

    /** A cache for {@code ttl}, of at most {@code maxEntries} users; 0 entries turns it off. */
    VerifiedPasswords(Duration ttl, int maxEntries) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        new SecureRandom().nextBytes(salt);
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
                return size() > VerifiedPasswords.this.maxEntries;
            }
        };
    }

    /** Whether {@code password} was verified against {@code hash} for {@code user} within the time to live. */
    boolean contains(String user, String hash, String password) {
        if (maxEntries == 0) {
            return false;
        }
        Verified entry;
        lock.lock();
        try {
            entry = entries.get(user);
        } finally {
            lock.unlock();
        }
        return entry != null && System.nanoTime() - entry.expiresNanos() < 0
                && MessageDigest.isEqual(entry.digest(), digest(hash, password));
    }

    /** Remembers that {@code password} matched {@code hash} for {@code user}. */
    void put(String user, String hash, String password) {
        if (maxEntries == 0) {
            return;
        }
        Verified entry = new Verified(digest(hash, password), System.nanoTime() + ttlNanos);
        lock.lock();
        try {
            entries.put(user, entry);
        } finally {
            lock.unlock();
        }
    }

    private byte[] digest(String hash, String password) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(salt);
            sha256.update(hash.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) 0);
            return sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
