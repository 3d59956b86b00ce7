package dev.agentgateway.policy.upstream.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cached token with single-flight refresh. A caller that finds the token fresh returns it at
 * once; one in its refresh window refreshes it unless another caller already is (then it uses the
 * current token without waiting); callers without a usable token wait for the one fetch and share
 * its outcome, failure included, so that an identity provider that is down costs each waiting
 * request one fetch timeout, not one per caller ahead of it. When a refresh fails while the token is
 * still valid, the token keeps being served and the next attempt waits {@link #RETRY_AFTER_FAILURE}.
 */
public final class TokenSlot {
    /** How long a failed refresh is not retried while the cached token is still valid. */
    public static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(TokenSlot.class);

    /** Fetches a new token; runs with the slot's lock held. */
    @FunctionalInterface
    public interface Fetch {
        /** The new token. */
        IssuedToken fetch() throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final WarningLimiter warnings;
    private volatile IssuedToken token;
    private volatile long fetched; // fetches completed, written under the lock: a waiter sees one ended meanwhile
    private volatile Instant nextAttempt = Instant.MIN;
    private IOException lastFailure; // guarded by lock

    public TokenSlot(Clock clock, WarningLimiter warnings) {
        this.clock = clock;
        this.warnings = warnings;
    }

    /** A token valid now, fetched with {@code fetch} when needed; {@code what} names it in warnings. */
    public String get(Fetch fetch, String what) throws IOException {
        IssuedToken current = token;
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.expiresAt())) {
            if (now.isBefore(current.refreshAt()) || now.isBefore(nextAttempt) || !lock.tryLock()) {
                return current.value();
            }
            try {
                IssuedToken latest = token;
                if (latest != current || clock.instant().isBefore(nextAttempt)) {
                    return latest.value(); // another caller refreshed it, or just failed to, since it was read
                }
                return refresh(fetch, what);
            } finally {
                lock.unlock();
            }
        }
        long seen = fetched;
        lock.lock();
        try {
            current = token;
            now = clock.instant();
            if (current != null && now.isBefore(current.expiresAt())
                    && (now.isBefore(current.refreshAt()) || now.isBefore(nextAttempt))) {
                return current.value(); // fetched (or given up on) while this caller waited
            }
            if (fetched != seen && lastFailure != null) {
                throw new IOException(lastFailure.getMessage(), lastFailure); // the fetch this caller waited for failed
            }
            return refresh(fetch, what);
        } finally {
            lock.unlock();
        }
    }

    private String refresh(Fetch fetch, String what) throws IOException {
        IssuedToken fresh;
        try {
            fresh = fetch.fetch();
        } catch (IOException e) {
            lastFailure = e;
            return failed(e, what);
        } finally {
            fetched++; // after the fetch: callers that queued up during it see that it ended
        }
        token = fresh;
        lastFailure = null;
        nextAttempt = Instant.MIN;
        return fresh.value();
    }

    private String failed(IOException e, String what) throws IOException {
        IssuedToken current = token;
        Instant now = clock.instant();
        if (current == null || !now.isBefore(current.expiresAt())) {
            throw e;
        }
        nextAttempt = now.plus(RETRY_AFTER_FAILURE);
        if (warnings.allow(now)) {
            LOG.warn("Cannot refresh the {} ({}); serving the cached one, valid until {}", what, e.getMessage(),
                    current.expiresAt());
        }
        return current.value();
    }

    /** At most one warning a minute, shared by the slots of one credentials object. */
    public static final class WarningLimiter {
        private static final Duration INTERVAL = Duration.ofMinutes(1);
        private final AtomicReference<Instant> last = new AtomicReference<>(Instant.MIN);

        /** Whether a warning may be logged at {@code now}. */
        public boolean allow(Instant now) {
            Instant previous = last.get();
            return now.isAfter(previous.plus(INTERVAL)) && last.compareAndSet(previous, now);
        }
    }
}
