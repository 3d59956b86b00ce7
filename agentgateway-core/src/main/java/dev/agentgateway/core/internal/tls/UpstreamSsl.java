package dev.agentgateway.core.internal.tls;

import java.util.List;

import javax.net.ssl.SNIHostName;

import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.UpstreamTls;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The jetty-client TLS side of an upstream client, from its {@link UpstreamOptions}. */
public final class UpstreamSsl {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSsl.class);

    private UpstreamSsl() {
    }

    public static SslContextFactory.Client create(UpstreamOptions options, String gateway) {
        UpstreamTls tls = options.tls();
        if (tls == null) {
            SslContextFactory.Client ssl = new SslContextFactory.Client();
            if (options.sslContext() != null) {
                ssl.setSslContext(options.sslContext());
            }
            return ssl;
        }
        if (tls.trustAllCertificatesInsecure()) {
            LOG.warn("gateway '{}': an upstream client accepts every TLS certificate unverified "
                    + "(trustAllCertificatesInsecure); never use it outside development", gateway);
        }
        SslContextFactory.Client ssl = new SslContextFactory.Client(tls.trustAllCertificatesInsecure());
        if (tls.trustAllCertificatesInsecure()) {
            ssl.setEndpointIdentificationAlgorithm(null);
        }
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        try {
            if (tls.caBundle() != null) {
                ssl.setTrustStore(TlsStores.trustStore(tls.caBundle()));
            }
            if (tls.clientCertificateChain() != null) {
                ssl.setKeyStore(TlsStores.identityStore(tls.clientCertificateChain(), tls.clientPrivateKey()));
                ssl.setKeyStorePassword(TlsStores.PASSWORD);
            }
        } catch (Exception e) {
            throw new IllegalStateException("upstream TLS files do not load: " + e.getMessage(), e);
        }
        if (tls.serverName() != null) {
            // The JDK verifies the certificate against the SNI name when one is sent, so this one setting
            // covers both what the upstream is asked for and what its certificate must prove.
            List<javax.net.ssl.SNIServerName> names = List.of(new SNIHostName(tls.serverName()));
            ssl.setSNIProvider((engine, requested) -> names);
        }
        return ssl;
    }
}
