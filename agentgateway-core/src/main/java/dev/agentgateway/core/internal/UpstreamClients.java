package dev.agentgateway.core.internal;

import java.util.concurrent.ScheduledExecutorService;

import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.internal.tls.UpstreamSsl;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/** Creates jetty-clients configured for proxying, sharing the gateway's threads and buffers. */
final class UpstreamClients {
    private UpstreamClients() {
    }

    static HttpClient create(UpstreamOptions options, QueuedThreadPool threads, Scheduler scheduler,
                             ByteBufferPool buffers, String gatewayName, ScheduledExecutorService timer, MeterRegistry meters) {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setExecutor(threads);
        connector.setScheduler(scheduler);
        connector.setByteBufferPool(buffers);
        connector.setConnectTimeout(options.connectTimeout());
        connector.setIdleTimeout(options.idleTimeout());
        UpstreamSsl ssl = UpstreamSsl.create(options, gatewayName, meters);
        connector.setSslContextFactory(ssl.sslContextFactory());
        HttpClientTransport transport = switch (options.protocol()) {
            case HTTP_1_1 -> new HttpClientTransportOverHTTP(connector);
            case H2C -> new HttpClientTransportOverHTTP2(new HTTP2Client(connector));
            case NEGOTIATE -> new HttpClientTransportDynamic(connector,
                    new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)), HttpClientConnectionFactory.HTTP11);
        };
        // The gateway's listeners only hand over (complete a future, wake a reader, start an
        // asynchronous write), so responses are parsed on the selector thread instead of each read
        // being dispatched to another (virtual) thread: at saturation that hop was a third of the
        // proxy's CPU. GatewayContext documents the contract for every caller.
        transport.setInvocationType(Invocable.InvocationType.NON_BLOCKING);
        HttpClient client = new HttpClient(transport);
        client.setExecutor(threads);
        client.setScheduler(scheduler);
        client.setByteBufferPool(buffers);
        client.setName(gatewayName + "-upstream");
        client.setFollowRedirects(false);
        client.setUserAgentField(null);
        client.setConnectTimeout(options.connectTimeout().toMillis());
        client.setIdleTimeout(options.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(options.maxConnectionsPerDestination());
        client.setMaxRequestsQueuedPerDestination(options.maxRequestsQueuedPerDestination());
        // A proxy relays bodies as they are; the Set-Cookie store would mix clients' cookies.
        client.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start an upstream HTTP client: " + e.getMessage(), e);
        }
        ssl.reloadWhileRunning(client, options, timer);
        // start() installs the gzip decoder found on the class path; a proxy must not decode bodies.
        client.getContentDecoderFactories().clear();
        return client;
    }
}
