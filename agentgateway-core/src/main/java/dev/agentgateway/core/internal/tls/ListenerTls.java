package dev.agentgateway.core.internal.tls;

import java.util.concurrent.ScheduledExecutorService;

import dev.agentgateway.core.Tls;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The TLS side of a gateway's listener: the Jetty {@link SslContextFactory.Server} built from a
 * {@link Tls}, and the {@link TlsFileReload} that swaps its stores when the files change.
 */
public final class ListenerTls {
    static final String RELOADS = "agentgateway.tls.reloads";

    private final Tls tls;
    private final SslContextFactory.Server factory;
    private final TlsFileReload reload;

    private ListenerTls(Tls tls, String gateway, MeterRegistry meters) throws Exception {
        this.tls = tls;
        this.factory = new SslContextFactory.Server();
        this.reload = new TlsFileReload("TLS certificates", gateway, tls.files(), factory, SslContextFactory.Server::new,
                snapshot -> apply(TlsStores.load(tls, snapshot)), meters, RELOADS);
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
        try {
            return new ListenerTls(tls, gateway, meters);
        } catch (Exception e) {
            // Not an IOException to the caller: the gateway reports those as a port it could not bind.
            throw new IllegalStateException("gateway '" + gateway + "': TLS files do not load: " + e.getMessage(), e);
        }
    }

    private static java.util.function.Consumer<SslContextFactory> apply(TlsStores.Stores stores) {
        return factory -> {
            factory.setKeyStore(stores.keyStore());
            factory.setKeyStorePassword(TlsStores.PASSWORD);
            if (stores.trustStore() != null) {
                factory.setTrustStore(stores.trustStore());
            }
        };
    }

    public SslContextFactory.Server sslContextFactory() {
        return factory;
    }

    /** Checks the files every {@link Tls#reloadInterval()} on {@code scheduler}, unless reload is off. */
    public void startReloading(ScheduledExecutorService scheduler) {
        reload.startReloading(scheduler, tls.reloadInterval());
    }

    public void stopReloading() {
        reload.stopReloading();
    }

    /** Reads the files and, when their content is new, loads and serves it. */
    public TlsFileReload.Outcome reloadIfChanged() {
        return reload.reloadIfChanged();
    }
}
