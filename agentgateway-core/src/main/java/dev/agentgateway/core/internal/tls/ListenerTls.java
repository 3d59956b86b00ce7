package dev.agentgateway.core.internal.tls;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.agentgateway.core.Tls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of a gateway's listener: the Jetty {@link SslContextFactory.Server} built from a
 * {@link Tls}, and the reload that swaps its stores when the files change. Reload polls the files'
 * content rather than watching them: a Kubernetes secret volume replaces a symlink, which file
 * watchers miss, and a few kilobytes read every few seconds cost nothing.
 */
public final class ListenerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);
    static final String RELOADS = "agentgateway.tls.reloads";

    /** What one check of the files found. */
    public enum Outcome {
        /** The files hold what is served (or what was already rejected). */
        UNCHANGED,
        /** New content was loaded; new connections get it. */
        RELOADED,
        /** New content did not load; the previous certificates stay. */
        REJECTED
    }

    private final Tls tls;
    private final String gateway;
    private final SslContextFactory.Server factory;
    private final Counter reloaded;
    private final Counter rejected;
    private final ReentrantLock lock = new ReentrantLock();
    private String servedFingerprint; // guarded by lock
    private String rejectedFingerprint; // guarded by lock
    private TlsStores.Stores servedStores; // guarded by lock
    private volatile ScheduledFuture<?> poll;

    private ListenerTls(Tls tls, String gateway, MeterRegistry meters, TlsStores.Snapshot snapshot, TlsStores.Stores stores) {
        this.tls = tls;
        this.gateway = gateway;
        this.servedFingerprint = snapshot.fingerprint();
        this.servedStores = stores;
        this.factory = new SslContextFactory.Server();
        this.reloaded = counter(meters, "reloaded");
        this.rejected = counter(meters, "rejected");
        apply(factory, stores);
        // TLS 1.0 and 1.1 are deprecated (RFC 8996); the JDK disables them only through java.security,
        // which deployments edit, so the listener names what it offers itself.
        factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        // On top of Jetty's exclusions (RSA key exchange, SHA-1, NULL, anonymous): CBC suites, so TLS 1.2
        // offers only AEAD with forward secrecy, and HTTP/2's cipher block list (RFC 9113 9.2.2) never bites.
        factory.addExcludeCipherSuites("^.*_CBC_.*$");
        factory.setCipherComparator(HTTP2Cipher.COMPARATOR);
        factory.setUseCipherSuitesOrder(true);
        factory.setRenegotiationAllowed(false);
        switch (tls.clientAuth()) {
            case REQUIRE -> factory.setNeedClientAuth(true);
            case REQUEST -> factory.setWantClientAuth(true);
            case NONE -> { }
        }
    }

    /** Loads the configuration's files now; fails, naming the file, when they do not load. */
    public static ListenerTls create(Tls tls, String gateway, MeterRegistry meters) {
        TlsStores.Snapshot snapshot;
        TlsStores.Stores stores;
        try {
            snapshot = TlsStores.read(tls);
            stores = TlsStores.load(tls, snapshot);
        } catch (Exception e) {
            // Not an IOException to the caller: the gateway reports those as a port it could not bind.
            throw new IllegalStateException("gateway '" + gateway + "': TLS files do not load: " + e.getMessage(), e);
        }
        return new ListenerTls(tls, gateway, meters, snapshot, stores);
    }

    private Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder(RELOADS).description("Checks of the listener's TLS files that found new content")
                .tags("gateway", gateway, "outcome", outcome).register(meters);
    }

    private static void apply(SslContextFactory factory, TlsStores.Stores stores) {
        factory.setKeyStore(stores.keyStore());
        factory.setKeyStorePassword(TlsStores.PASSWORD);
        if (stores.trustStore() != null) {
            factory.setTrustStore(stores.trustStore());
        }
    }

    public SslContextFactory.Server sslContextFactory() {
        return factory;
    }

    /** Checks the files every {@link Tls#reloadInterval()} on {@code scheduler}, unless reload is off. */
    public void startReloading(ScheduledExecutorService scheduler) {
        Duration interval = tls.reloadInterval();
        if (interval.isZero()) {
            return;
        }
        long millis = Math.max(1, interval.toMillis());
        poll = scheduler.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    public void stopReloading() {
        if (poll != null) {
            poll.cancel(false);
        }
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; reload must outlive any surprise.
            LOG.warn("gateway '{}': checking TLS files failed: {}", gateway, e.toString());
        }
    }

    /** Reads the files and, when their content is new, loads and serves it. */
    public Outcome reloadIfChanged() {
        lock.lock();
        try {
            TlsStores.Snapshot snapshot;
            try {
                snapshot = TlsStores.read(tls);
            } catch (IOException e) {
                // A file missing while it is being replaced: remembered by its message, so it is logged once.
                return reject("unreadable: " + e, e);
            }
            String fingerprint = snapshot.fingerprint();
            if (fingerprint.equals(servedFingerprint) || fingerprint.equals(rejectedFingerprint)) {
                return Outcome.UNCHANGED;
            }
            TlsStores.Stores stores;
            try {
                stores = TlsStores.load(tls, snapshot);
                // Jetty unloads before it loads: build an SSLContext from the stores first, so that a
                // failure cannot leave the listener without certificates.
                SslContextFactory.Server trial = new SslContextFactory.Server();
                apply(trial, stores);
                trial.start();
                trial.stop();
            } catch (Exception e) {
                return reject(fingerprint, e);
            }
            try {
                factory.reload(f -> apply(f, stores));
            } catch (Exception e) {
                restore();
                return reject(fingerprint, e);
            }
            servedFingerprint = fingerprint;
            servedStores = stores;
            rejectedFingerprint = null;
            reloaded.increment();
            LOG.info("gateway '{}': reloaded TLS certificates from {}", gateway, tls.files());
            return Outcome.RELOADED;
        } finally {
            lock.unlock();
        }
    }

    private void restore() {
        try {
            factory.reload(f -> apply(f, servedStores));
        } catch (Exception e) {
            LOG.error("gateway '{}': could not restore the previous TLS certificates: {}", gateway, e.toString());
        }
    }

    private Outcome reject(String fingerprint, Exception e) {
        if (fingerprint.equals(rejectedFingerprint)) {
            return Outcome.UNCHANGED;
        }
        rejectedFingerprint = fingerprint;
        rejected.increment();
        LOG.warn("gateway '{}': new TLS files do not load, keeping the certificates in use: {}", gateway, e.getMessage());
        return Outcome.REJECTED;
    }
}
