package dev.agentgateway.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.locks.ReentrantLock;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.internal.tls.ListenerTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running side of a {@link Gateway}: the Jetty server, its threads, the upstream HTTP clients and
 * the bound routes. Owns everything it creates and stops it in {@link #stop()}.
 */
public final class GatewayServer implements GatewayContext {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);

    private enum State { NEW, RUNNING, STOPPED }

    private final Gateway.Config config;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final List<HttpClient> clients = new CopyOnWriteArrayList<>();
    private final List<Runnable> authorizationListeners = new CopyOnWriteArrayList<>();
    private final List<Backend> boundBackends = new ArrayList<>();
    private final List<Policy> boundPolicies = new ArrayList<>();
    private State state = State.NEW;
    private QueuedThreadPool threadPool;
    private VirtualThreadPool virtualThreads;
    private Scheduler jettyScheduler;
    private ByteBufferPool bufferPool;
    private ScheduledThreadPoolExecutor scheduler;
    private ExecutorService taskExecutor;
    private Server server;
    private ServerConnector connector;
    private ListenerTls listenerTls;
    private final ReentrantLock clientLock = new ReentrantLock();
    private HttpClient sharedClient; // guarded by clientLock
    private volatile URI uri;

    public GatewayServer(Gateway.Config config) {
        this.config = config;
    }

    /** Binds, binds routes, starts serving. */
    public void start() {
        lifecycle.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("gateway '" + config.name() + "' was already started");
            }
            try {
                ClassWarmup.start();
                startThreads();
                server = new Server(threadPool, jettyScheduler, bufferPool);
                server.setStopTimeout(config.shutdownGracePeriod().toMillis());
                server.setStopAtShutdown(false);
                if (config.tls() != null) {
                    listenerTls = ListenerTls.create(config.tls(), config.name(), config.meterRegistry());
                }
                connector = newConnector();
                server.addConnector(connector);
                connector.open();
                String scheme = config.tls() == null ? "http" : "https";
                uri = URI.create(scheme + "://" + uriHost() + ":" + connector.getLocalPort() + "/");
                RouteTable<BoundRoute> routes = bindRoutes();
                GatewayMetrics metrics = new GatewayMetrics(config.meterRegistry(), config.name());
                GracefulHandler graceful = new GracefulHandler(new GatewayHandler(this, routes, metrics, config.accessLog(),
                        virtualThreads != null ? virtualThreads : threadPool));
                // Handlers are fixed once started. A dynamic container counts as blocking, and Jetty would then
                // hand every request to a pool thread before our handler runs; static, the handler's own
                // NON_BLOCKING type holds, route matching and the non-blocking proxy path run on the I/O
                // thread, and only what may block moves to a virtual thread (GatewayHandler decides).
                graceful.setDynamic(false);
                server.setDynamic(false);
                server.setHandler(graceful);
                server.start();
                if (listenerTls != null) {
                    listenerTls.startReloading(scheduler);
                }
                state = State.RUNNING;
                LOG.info("gateway '{}' listening on {} with {} route(s)", config.name(), uri, config.routes().size());
            } catch (Exception e) {
                stopQuietly();
                state = State.STOPPED;
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("gateway '" + config.name() + "' could not bind "
                            + config.host() + ":" + config.port() + ": " + io.getMessage(), io);
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("gateway '" + config.name() + "' failed to start: " + e.getMessage(), e);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private void startThreads() throws Exception {
        avoidPlatformMBeanServerStart();
        threadPool = new QueuedThreadPool();
        threadPool.setName(config.name() + "-qtp");
        if (config.virtualThreads()) {
            virtualThreads = new VirtualThreadPool();
            virtualThreads.setName(config.name() + "-vt");
            virtualThreads.setMaxConcurrentTasks(config.maxConcurrentRequests());
            // Started here, so the pool does not manage it: it is stopped only after the pool's own
            // threads, which may still hand it work while they wind down.
            virtualThreads.start();
            threadPool.setVirtualThreadsExecutor(virtualThreads);
            taskExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(config.name() + "-task-", 0).factory());
        } else {
            threadPool.setMaxThreads(Math.max(16, Math.min(config.maxConcurrentRequests(), 2000)));
        }
        threadPool.start();
        ScheduledExecutorScheduler jetty = new ScheduledExecutorScheduler(config.name() + "-scheduler", true);
        jetty.start();
        jettyScheduler = jetty;
        bufferPool = new ArrayByteBufferPool();
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, config.name() + "-timer");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
    }

    /**
     * Jetty's {@code MemoryUtils} asks the platform MBean server whether compressed oops are on, only
     * to size queue padding; starting the MBean server costs about a quarter of a second of gateway
     * start-up. The answer follows from the heap size (compressed oops are the default below 32 GiB),
     * so give it to Jetty through its documented property unless someone already did.
     */
    private static void avoidPlatformMBeanServerStart() {
        String property = "org.eclipse.jetty.util.referencesPerCacheLine";
        if (System.getProperty(property) == null) {
            boolean compressedOops = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty(property, compressedOops ? "16" : "8");
        }
    }

    private ServerConnector newConnector() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(false);
        http.setRequestHeaderSize(config.maxRequestHeaderSize());
        // Bedrock model ARNs travel as %2F-encoded path segments; they must reach routing intact.
        http.setUriCompliance(UriCompliance.DEFAULT.with("agentgateway",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        if (config.trustForwardedHeaders()) {
            http.addCustomizer(new ForwardedRequestCustomizer());
        }
        List<ConnectionFactory> factories = new ArrayList<>();
        if (config.tls() != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = listenerTls.sslContextFactory();
            HttpConnectionFactory http11 = new HttpConnectionFactory(http);
            HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
            ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
            alpn.setDefaultProtocol(http11.getProtocol());
            factories.add(new SslConnectionFactory(ssl, alpn.getProtocol()));
            factories.add(alpn);
            factories.add(h2);
            factories.add(http11);
        } else {
            factories.add(new HttpConnectionFactory(http));
            if (config.http2()) {
                factories.add(new HTTP2CServerConnectionFactory(http));
            }
        }
        ServerConnector serverConnector = new ServerConnector(server, 1, 1, factories.toArray(ConnectionFactory[]::new));
        serverConnector.setHost(config.host());
        serverConnector.setPort(config.port());
        serverConnector.setIdleTimeout(config.idleTimeout().toMillis());
        serverConnector.setAcceptQueueSize(1024);
        return serverConnector;
    }

    private String uriHost() {
        String host = config.host();
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                return "127.0.0.1";
            }
        } catch (IOException e) {
            return host;
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private RouteTable<BoundRoute> bindRoutes() throws Exception {
        List<Policy> gatewayPolicies = new ArrayList<>();
        for (Policy policy : config.policies()) {
            gatewayPolicies.add(bind(policy));
        }
        List<RouteTable.Entry<BoundRoute>> entries = new ArrayList<>();
        int order = 0;
        for (Route route : config.routes()) {
            Backend backend;
            try {
                backend = route.backend().bind(this);
            } catch (Exception e) {
                throw new IllegalStateException("route '" + route.name() + "': backend failed to start: " + e.getMessage(), e);
            }
            boundBackends.add(backend);
            List<PolicyChain.Attached> attached = new ArrayList<>();
            int index = 0;
            for (Policy policy : gatewayPolicies) {
                attached.add(new PolicyChain.Attached(policy, 0, index++));
            }
            for (Policy policy : route.policies()) {
                attached.add(new PolicyChain.Attached(bind(policy), 1, index++));
            }
            RouteTransforms transforms = RouteTransforms.of(route);
            if (transforms != null) {
                attached.add(new PolicyChain.Attached(transforms, 1, index++));
            }
            for (Policy policy : backend.policies()) {
                attached.add(new PolicyChain.Attached(bind(policy), 2, index++));
            }
            long maxBody = route.maxRequestBodySize() >= 0 ? route.maxRequestBodySize() : config.maxRequestBodySize();
            boolean onlyRewrites = attached.stream().allMatch(a -> a.policy() instanceof RouteTransforms);
            NonBlockingBackend nonBlocking = onlyRewrites && backend instanceof NonBlockingBackend n ? n : null;
            entries.add(new RouteTable.Entry<>(route, new BoundRoute(route, backend, new PolicyChain(attached, backend), maxBody,
                    nonBlocking, transforms), order++));
        }
        return new RouteTable<>(entries);
    }

    private Policy bind(Policy policy) throws Exception {
        Policy bound = policy.bind(this);
        boundPolicies.add(bound);
        return bound;
    }

    /** Drains requests in flight within the grace period, then stops backends, policies, clients and threads. */
    public void stop() {
        lifecycle.lock();
        try {
            if (state != State.RUNNING) {
                state = State.STOPPED;
                return;
            }
            state = State.STOPPED;
            stopQuietly();
            LOG.info("gateway '{}' stopped", config.name());
        } finally {
            lifecycle.unlock();
        }
    }

    private void stopQuietly() {
        if (listenerTls != null) {
            listenerTls.stopReloading();
        }
        for (Backend backend : boundBackends) {
            try {
                backend.drain();
            } catch (RuntimeException e) {
                LOG.warn("gateway '{}': draining backend '{}': {}", config.name(), backend.name(), e.toString());
            }
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("gateway '{}': stopping the server: {}", config.name(), e.toString());
            }
        } else if (connector != null) {
            try {
                connector.close();
            } catch (RuntimeException e) {
                LOG.debug("closing connector", e);
            }
        }
        for (Backend backend : boundBackends.reversed()) {
            try {
                backend.close();
            } catch (Exception e) {
                LOG.warn("gateway '{}': closing backend '{}': {}", config.name(), backend.name(), e.toString());
            }
        }
        boundBackends.clear();
        for (Policy policy : boundPolicies.reversed()) {
            try {
                policy.close();
            } catch (Exception e) {
                LOG.warn("gateway '{}': closing policy {}: {}", config.name(), policy.getClass().getSimpleName(), e.toString());
            }
        }
        boundPolicies.clear();
        authorizationListeners.clear();
        for (HttpClient client : clients) {
            try {
                client.stop();
            } catch (Exception e) {
                LOG.debug("stopping an upstream client", e);
            }
        }
        clients.clear();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (taskExecutor != null) {
            taskExecutor.shutdownNow();
        }
        try {
            if (jettyScheduler != null) {
                jettyScheduler.stop();
            }
            if (threadPool != null) {
                threadPool.stop();
            }
            if (virtualThreads != null) {
                virtualThreads.stop();
            }
        } catch (Exception e) {
            LOG.debug("stopping threads", e);
        }
    }

    /** Blocks until the gateway stops. */
    public void join() throws InterruptedException {
        Server running = server;
        if (running == null) {
            throw new IllegalStateException("gateway '" + config.name() + "' is not started");
        }
        running.join();
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    public int port() {
        requireStarted();
        return connector.getLocalPort();
    }

    @Override
    public URI uri() {
        requireStarted();
        return uri;
    }

    private void requireStarted() {
        if (uri == null) {
            throw new IllegalStateException("gateway '" + config.name() + "' is not started");
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Created on first use: loading and starting jetty-client costs start-up time gateways without upstream calls need not pay. */
    @Override
    public HttpClient httpClient() {
        clientLock.lock();
        try {
            if (sharedClient == null) {
                sharedClient = newHttpClient(UpstreamOptions.DEFAULTS);
            }
            return sharedClient;
        } finally {
            clientLock.unlock();
        }
    }

    @Override
    public HttpClient newHttpClient(UpstreamOptions options) {
        HttpClient client = UpstreamClients.create(options, threadPool, jettyScheduler, bufferPool, config.name(),
                scheduler, config.meterRegistry());
        clients.add(client);
        return client;
    }

    @Override
    public Executor executor() {
        return taskExecutor != null ? taskExecutor : threadPool;
    }

    @Override
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    @Override
    public boolean trustForwardedHeaders() {
        return config.trustForwardedHeaders();
    }

    @Override
    public MeterRegistry meterRegistry() {
        return config.meterRegistry();
    }

    @Override
    public ObservationRegistry observationRegistry() {
        return config.observationRegistry();
    }

    @Override
    public void authorizationChanged() {
        for (Runnable listener : authorizationListeners) {
            try {
                executor().execute(listener);
            } catch (RuntimeException e) { // stopping: nothing is kept any more
                LOG.debug("authorization change not delivered: {}", e.getMessage());
            }
        }
    }

    @Override
    public AutoCloseable onAuthorizationChanged(Runnable listener) {
        Runnable added = java.util.Objects.requireNonNull(listener, "listener")::run; // a distinct instance per subscription
        authorizationListeners.add(added);
        return () -> authorizationListeners.remove(added);
    }
}
