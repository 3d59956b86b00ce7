package dev.agentgateway.core.internal.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Swaps what a Jetty {@link SslContextFactory} uses when its files change: for the listener's
 * certificates and for an upstream client's CA bundle and client certificate alike. It polls the
 * files' content rather than watching them: a Kubernetes secret volume replaces a symlink, which file
 * watchers miss, and a few kilobytes read every few seconds cost nothing. New content that does not load
 * keeps what is in use, and is logged and counted once.
 */
public final class TlsFileReload {
    private static final Logger LOG = LoggerFactory.getLogger(TlsFileReload.class);

    /** What one check of the files found. */
    public enum Outcome {
        /** The files hold what is in use (or what was already rejected). */
        UNCHANGED,
        /** New content was loaded; new connections get it. */
        RELOADED,
        /** New content did not load; the previous stores stay. */
        REJECTED
    }

    /** Parses the files' content into a change of the factory's stores; throws when it does not load. */
    @FunctionalInterface
    interface Loader {
        Consumer<SslContextFactory> load(TlsStores.Snapshot snapshot) throws Exception;
    }

    private final String what;
    private final String gateway;
    private final List<Path> files;
    private final SslContextFactory factory;
    private final Supplier<SslContextFactory> trial;
    private final Loader loader;
    private final Counter reloaded;
    private final Counter rejected;
    private final ReentrantLock lock = new ReentrantLock();
    private String servedFingerprint; // guarded by lock
    private String rejectedFingerprint; // guarded by lock
    private Consumer<SslContextFactory> served; // guarded by lock
    private volatile ScheduledFuture<?> poll;

    /**
     * Loads {@code files} into {@code factory} now (throwing when they do not load), ready to reload.
     *
     * @param what how logs name the files, such as {@code TLS certificates}
     * @param meter the counter's name, tagged {@code gateway} and {@code outcome}
     * @param trial makes an unstarted factory of the same kind, to prove new stores load before use
     */
    TlsFileReload(String what, String gateway, List<Path> files, SslContextFactory factory, Supplier<SslContextFactory> trial,
                  Loader loader, MeterRegistry meters, String meter) throws Exception {
        this.what = what;
        this.gateway = gateway;
        this.files = List.copyOf(files);
        this.factory = factory;
        this.trial = trial;
        this.loader = loader;
        TlsStores.Snapshot snapshot = TlsStores.read(files);
        this.served = loader.load(snapshot);
        this.servedFingerprint = snapshot.fingerprint();
        served.accept(factory);
        this.reloaded = counter(meters, meter, "reloaded");
        this.rejected = counter(meters, meter, "rejected");
    }

    private Counter counter(MeterRegistry meters, String meter, String outcome) {
        return Counter.builder(meter).description("Checks of TLS files that found new content")
                .tags("gateway", gateway, "outcome", outcome).register(meters);
    }

    /** Checks the files every {@code interval} on {@code scheduler}; a zero interval turns reload off. */
    void startReloading(ScheduledExecutorService scheduler, Duration interval) {
        if (interval.isZero()) {
            return;
        }
        long millis = Math.max(1, interval.toMillis());
        poll = scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    void stopReloading() {
        if (poll != null) {
            poll.cancel(false);
        }
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; reload must outlive any surprise.
            LOG.warn("gateway '{}': checking {} failed: {}", gateway, what, e.toString());
        }
    }

    /** Reads the files and, when their content is new, loads it for new connections. */
    public Outcome reloadIfChanged() {
        lock.lock();
        try {
            TlsStores.Snapshot snapshot;
            try {
                snapshot = TlsStores.read(files);
            } catch (IOException e) {
                // A file missing while it is being replaced: remembered by its message, so it is logged once.
                return reject("unreadable: " + e, e);
            }
            String fingerprint = snapshot.fingerprint();
            if (fingerprint.equals(servedFingerprint) || fingerprint.equals(rejectedFingerprint)) {
                return Outcome.UNCHANGED;
            }
            Consumer<SslContextFactory> next;
            try {
                next = loader.load(snapshot);
                // Jetty unloads before it loads: build an SSLContext from the stores first, so that a
                // failure cannot leave the factory without its certificates.
                SslContextFactory proof = trial.get();
                next.accept(proof);
                proof.start();
                proof.stop();
            } catch (Exception e) {
                return reject(fingerprint, e);
            }
            try {
                factory.reload(next::accept);
            } catch (Exception e) {
                restore();
                return reject(fingerprint, e);
            }
            servedFingerprint = fingerprint;
            served = next;
            rejectedFingerprint = null;
            reloaded.increment();
            LOG.info("gateway '{}': reloaded {} from {}", gateway, what, files);
            return Outcome.RELOADED;
        } finally {
            lock.unlock();
        }
    }

    private void restore() {
        try {
            factory.reload(served::accept);
        } catch (Exception e) {
            LOG.error("gateway '{}': could not restore the previous {}: {}", gateway, what, e.toString());
        }
    }

    private Outcome reject(String fingerprint, Exception e) {
        if (fingerprint.equals(rejectedFingerprint)) {
            return Outcome.UNCHANGED;
        }
        rejectedFingerprint = fingerprint;
        rejected.increment();
        LOG.warn("gateway '{}': new {} do not load, keeping those in use: {}", gateway, what, e.getMessage());
        return Outcome.REJECTED;
    }
}
