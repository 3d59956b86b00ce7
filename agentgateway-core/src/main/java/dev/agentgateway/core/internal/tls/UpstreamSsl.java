package dev.agentgateway.core.internal.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

import javax.net.ssl.SNIHostName;

import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.UpstreamTls;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jetty-client TLS side of an upstream client, from its {@link UpstreamOptions}; with PEM files,
 * also the {@link TlsFileReload} that gives new connections a replaced CA bundle or client certificate.
 */
public final class UpstreamSsl {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSsl.class);
    static final String RELOADS = "agentgateway.tls.upstream.reloads";

    private final SslContextFactory.Client factory;
    private final TlsFileReload reload;

    private UpstreamSsl(SslContextFactory.Client factory, TlsFileReload reload) {
        this.factory = factory;
        this.reload = reload;
    }

    public static UpstreamSsl create(UpstreamOptions options, String gateway, MeterRegistry meters) {
        UpstreamTls tls = options.tls();
        if (tls == null) {
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            if (options.sslContext() != null) {
                ssl.setSslContext(options.sslContext());
            }
            return new UpstreamSsl(ssl, null);
        }
        if (tls.trustAllCertificatesInsecure()) {
            LOG.warn("gateway '{}': an upstream client accepts every TLS certificate unverified "
                    + "(trustAllCertificatesInsecure); never use it outside development", gateway);
        }
        SslContextFactory.Client ssl = client(tls);
        if (tls.serverName() != null) {
            // The JDK verifies the certificate against the SNI name when one is sent, so this one setting
            // covers both what the upstream is asked for and what its certificate must prove.
            List<javax.net.ssl.SNIServerName> names = List.of(new SNIHostName(tls.serverName()));
            ssl.setSNIProvider((engine, requested) -> names);
        }
        List<Path> files = files(tls);
        if (files.isEmpty()) {
            return new UpstreamSsl(ssl, null);
        }
        try {
            return new UpstreamSsl(ssl, new TlsFileReload("upstream TLS files", gateway, files, ssl, () -> client(tls),
                    snapshot -> stores(tls, snapshot), meters, RELOADS));
        } catch (Exception e) {
            throw new IllegalStateException("upstream TLS files do not load: " + e.getMessage(), e);
        }
    }

    private static SslContextFactory.Client client(UpstreamTls tls) {
        SslContextFactory.Client ssl = new SslContextFactory.Client(tls.trustAllCertificatesInsecure());
        if (tls.trustAllCertificatesInsecure()) {
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return ssl;
    }

    private static List<Path> files(UpstreamTls tls) {
        List<Path> files = new ArrayList<>(3);
        if (tls.caBundle() != null) {
            files.add(tls.caBundle());
        }
        if (tls.clientCertificateChain() != null) {
            files.add(tls.clientCertificateChain());
            files.add(tls.clientPrivateKey());
        }
        return files;
    }

    /** The stores of the files' content, in {@link #files} order. */
    private static Consumer<SslContextFactory> stores(UpstreamTls tls, TlsStores.Snapshot snapshot) throws Exception {
        int next = 0;
        KeyStore trust = null;
        KeyStore identity = null;
        if (tls.caBundle() != null) {
            trust = TlsStores.trustStore(tls.caBundle(), snapshot.contents().get(next++));
        }
        if (tls.clientCertificateChain() != null) {
            identity = TlsStores.identityStore(tls.clientCertificateChain(), snapshot.contents().get(next++),
                    tls.clientPrivateKey(), snapshot.contents().get(next));
        }
        KeyStore trusted = trust;
        KeyStore presented = identity;
        return factory -> {
            if (trusted != null) {
                factory.setTrustStore(trusted);
            }
            if (presented != null) {
                factory.setKeyStore(presented);
                factory.setKeyStorePassword(TlsStores.PASSWORD);
            }
        };
    }

    public SslContextFactory.Client sslContextFactory() {
        return factory;
    }

    /**
     * Checks the files every {@link UpstreamTls#reloadInterval()} while {@code client} runs. Connections
     * already open keep the TLS session they have; new ones get the new files.
     */
    public void reloadWhileRunning(LifeCycle client, UpstreamOptions options, ScheduledExecutorService scheduler) {
        if (reload == null) {
            return;
        }
        reload.startReloading(scheduler, options.tls().reloadInterval());
        client.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStopping(LifeCycle event) {
                reload.stopReloading();
            }
        });
    }
}
