package dev.agentgateway.test;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A small HTTP server to put behind a gateway in tests: answers with {@link FakeHandler}s chosen by
 * path prefix (longest first), records the requests it receives (the most recent
 * {@linkplain Builder#recordLimit(int) 10,000} by default, so that a load test does not fill the heap), and
 * counts requests received, in flight and responses the client abandoned. A JUnit 5 extension (static field: per class; instance field: per test), or
 * {@link #start()}/{@link #close()} by hand. Asking for its address starts it, so a
 * {@link GatewayExtension} configured with {@link #url()} works whatever order JUnit registers them in.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeUpstream upstream = FakeUpstream.builder()
 *         .handler("/", Fakes.echo())
 *         .handler("/events", Fakes.sse(Duration.ofMillis(100), "one", "two", "three"))
 *         .build();
 * }</pre>
 *
 * <p>With {@link Builder#tls(TestPki.Identity)} it serves {@code https} (HTTP/1.1 over TLS 1.2/1.3) with
 * a certificate from a {@link TestPki}, and with {@link Builder#requireClientCertificate(Path)} it
 * refuses clients without a certificate from the given CAs (mTLS); {@link FakeRequest#clientCertificateSubject()}
 * tells whom a request came from.
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(dir, "test-ca");
 * FakeUpstream secure = FakeUpstream.builder().handler("/", Fakes.echo())
 *         .tls(pki.issue("upstream", "dns:localhost,ip:127.0.0.1"))
 *         .requireClientCertificate(pki.caBundle())
 *         .build();
 * }</pre>
 */
public final class FakeUpstream implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    private final List<Mapping> mappings;
    private final boolean http2;
    private final int fixedPort;
    private final int recordLimit;
    private final TestPki.Identity tls;
    private final Path clientCa;
    private final ReentrantLock recordLock = new ReentrantLock();
    private final ArrayDeque<FakeRequest> requests = new ArrayDeque<>(); // guarded by recordLock
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private Server server;
    private ServerConnector connector;
    private boolean perClass;

    private record Mapping(String prefix, FakeHandler handler) {
    }

    private FakeUpstream(Builder builder) {
        List<Mapping> sorted = new ArrayList<>(builder.mappings);
        sorted.sort((a, b) -> Integer.compare(b.prefix().length(), a.prefix().length()));
        this.mappings = List.copyOf(sorted);
        this.http2 = builder.http2;
        this.fixedPort = builder.port;
        this.recordLimit = builder.recordLimit;
        this.tls = builder.tls;
        this.clientCa = builder.clientCa;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An upstream that answers everything with {@code handler}. */
    public static FakeUpstream of(FakeHandler handler) {
        return builder().handler("/", handler).build();
    }

    /** Starts listening on 127.0.0.1; returns this. */
    public FakeUpstream start() {
        if (server != null) {
            return this;
        }
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("fake-upstream");
        threads.setVirtualThreadsExecutor(new VirtualThreadPool());
        server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendDateHeader(false);
        // Like the services it stands in for (Bedrock model ARNs), accept %2F inside path segments.
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("fake-upstream",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        if (tls != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // clients on loopback connect to 127.0.0.1 whatever the certificate names
            config.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(serverSsl(), HttpVersion.HTTP_1_1.asString()),
                    new HttpConnectionFactory(config));
        } else {
            connector = http2
                    ? new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config))
                    : new ServerConnector(server, new HttpConnectionFactory(config));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(fixedPort);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback);
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream failed to start: " + e.getMessage(), e);
        }
        return this;
    }

    private SslContextFactory.Server serverSsl() {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(tls.keyStore().toString());
        ssl.setKeyStorePassword(TestPki.PASSWORD);
        ssl.setKeyStoreType("PKCS12");
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        if (clientCa != null) {
            ssl.setNeedClientAuth(true);
            ssl.setTrustStore(trustStore(clientCa));
        }
        return ssl;
    }

    private static KeyStore trustStore(Path caBundle) {
        try (InputStream in = Files.newInputStream(caBundle)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("fake upstream: the client CA bundle " + caBundle + " does not load: " + e.getMessage(), e);
        }
    }

    private void serve(Request request, Response response, Callback callback) {
        FakeRequest recorded = new FakeRequest(request);
        FakeResponse answer = new FakeResponse(request, response);
        record(recorded);
        active.incrementAndGet();
        try {
            FakeHandler handler = handlerFor(request.getHttpURI().getPath());
            if (handler == null) {
                response.setStatus(404);
                callback.succeeded();
                return;
            }
            handler.handle(recorded, answer);
            recorded.exchangeEnded(); // before the client can see the end of the response
            if (answer.aborted()) {
                callback.failed(new java.io.IOException("connection aborted by the fake upstream"));
                return;
            }
            try (Blocker.Callback last = Blocker.callback()) {
                response.write(true, null, last);
                last.block();
            }
            callback.succeeded();
        } catch (java.io.IOException e) {
            abandoned.incrementAndGet();
            callback.failed(e);
        } catch (Throwable t) {
            callback.failed(t);
        } finally {
            active.decrementAndGet();
            recorded.exchangeEnded();
        }
    }

    private void record(FakeRequest recorded) {
        received.incrementAndGet();
        recordLock.lock();
        try {
            requests.addLast(recorded);
            if (requests.size() > recordLimit) {
                requests.removeFirst();
            }
        } finally {
            recordLock.unlock();
        }
    }

    private FakeHandler handlerFor(String path) {
        for (Mapping mapping : mappings) {
            if (path.startsWith(mapping.prefix())) {
                return mapping.handler();
            }
        }
        return null;
    }

    /** Stops the server. */
    @Override
    public void close() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("fake upstream failed to stop", e);
            } finally {
                server = null;
            }
        }
    }

    /** {@code http://127.0.0.1:PORT} ({@code https} with {@link Builder#tls}), the form backends take. */
    public String url() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + port();
    }

    public URI uri() {
        return URI.create(url() + "/");
    }

    /** The port; starts the upstream if needed, so a gateway extension may ask before JUnit started it. */
    public int port() {
        if (server == null) {
            start();
        }
        return connector.getLocalPort();
    }

    /** The recorded requests (all of them unless more than the record limit arrived), in arrival order. */
    public List<FakeRequest> requests() {
        recordLock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            recordLock.unlock();
        }
    }

    /** The most recent request. */
    public FakeRequest lastRequest() {
        recordLock.lock();
        try {
            if (requests.isEmpty()) {
                throw new IllegalStateException("the fake upstream has received no request");
            }
            return requests.getLast();
        } finally {
            recordLock.unlock();
        }
    }

    /** How many requests arrived since start or the last {@link #reset()}, recorded or not. */
    public long receivedCount() {
        return received.get();
    }

    /** Requests being handled right now. */
    public int activeRequests() {
        return active.get();
    }

    /** Responses whose writing failed because the peer (the gateway) went away. */
    public int abandonedResponses() {
        return abandoned.get();
    }

    /** Forgets recorded requests and counters. */
    public void reset() {
        recordLock.lock();
        try {
            requests.clear();
        } finally {
            recordLock.unlock();
        }
        received.set(0);
        abandoned.set(0);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        } else {
            reset();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            close();
        }
    }

    /** Builds a {@link FakeUpstream}. */
    public static final class Builder {
        private final List<Mapping> mappings = new ArrayList<>();
        private boolean http2 = true;
        private int port;
        private int recordLimit = 10_000;
        private TestPki.Identity tls;
        private Path clientCa;

        private Builder() {
        }

        /**
         * Serves {@code https} (HTTP/1.1 over TLS 1.2 or 1.3; no h2c then) with this certificate, which
         * should name what clients verify, such as {@code dns:localhost,ip:127.0.0.1}.
         */
        public Builder tls(TestPki.Identity identity) {
            this.tls = requireNonNull(identity, "identity");
            return this;
        }

        /** Requires a client certificate issued by a CA of this PEM bundle (mTLS); needs {@link #tls}. */
        public Builder requireClientCertificate(Path caBundle) {
            this.clientCa = requireNonNull(caBundle, "caBundle");
            return this;
        }

        /** Answers requests whose path starts with {@code pathPrefix} with {@code handler}. */
        public Builder handler(String pathPrefix, FakeHandler handler) {
            requireNonNull(pathPrefix, "pathPrefix");
            if (!pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("a path prefix must start with '/': " + pathPrefix);
            }
            mappings.add(new Mapping(pathPrefix, requireNonNull(handler, "handler")));
            return this;
        }

        /** Whether h2c is accepted next to HTTP/1.1 (default true). */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /** A fixed port (default 0: ephemeral). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * How many of the most recent requests {@link #requests()} keeps (default 10,000); older ones are
         * forgotten, and {@link #receivedCount()} still counts them. Raise it for a test that inspects
         * more; keep it low for a long load run.
         */
        public Builder recordLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("recordLimit must be at least 1, got " + limit);
            }
            this.recordLimit = limit;
            return this;
        }

        public FakeUpstream build() {
            if (clientCa != null && tls == null) {
                throw new IllegalStateException("requireClientCertificate(...) needs tls(...): client certificates come with TLS");
            }
            return new FakeUpstream(this);
        }
    }
}
