package dev.agentgateway.core.internal.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.internal.HttpMethods;
import dev.agentgateway.core.internal.NonBlockingBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.CyclicTimeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@link HttpBackend} of one gateway: its own jetty-client (own limits and timeouts,
 * shared threads and buffers), endpoint states and load balancer.
 *
 * <p>Served without blocking ({@link NonBlockingBackend}) on routes without policies; otherwise the
 * caller's virtual thread waits for the upstream's response headers. Either way the body then streams
 * through {@link Body#stream} without buffering.
 */
public final class HttpProxy implements Backend, NonBlockingBackend {
    private static final Logger LOG = LoggerFactory.getLogger(HttpProxy.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final Set<String> USUALLY_BODYLESS = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "DELETE");

    private final HttpBackend config;
    private final HttpClient client;
    private final List<EndpointState> endpoints;
    private final LoadBalancer balancer;
    private final boolean trustForwarded;
    private final MeterRegistry registry;
    private final String gatewayName;
    /**
     * Requests waiting for response headers. One timer serves them all (it fires at the earliest deadline
     * and is not rescheduled for later ones), instead of a timer task per request, whose scheduling would
     * wake a thread on every request.
     */
    private final Set<HeadersWait> awaitingHeaders = ConcurrentHashMap.newKeySet();
    private final CyclicTimeouts<HeadersWait> headersTimeouts;
    private final ConcurrentMap<TimerKey, Timer> upstreamTimers = new ConcurrentHashMap<>();

    private record TimerKey(String authority, String method, int status) {
    }

    public HttpProxy(HttpBackend config, GatewayContext gateway) {
        this.config = config;
        this.client = gateway.newHttpClient(config.upstreamOptions());
        List<EndpointState> states = new ArrayList<>();
        for (HttpBackend.Endpoint endpoint : config.endpoints()) {
            states.add(new EndpointState(endpoint, config.consecutiveFailures(), config.ejectionCooldown().toNanos()));
        }
        this.endpoints = List.copyOf(states);
        this.balancer = new LoadBalancer(endpoints, config.loadBalancing());
        this.trustForwarded = gateway.trustForwardedHeaders();
        this.registry = gateway.meterRegistry();
        this.gatewayName = gateway.name();
        this.headersTimeouts = new CyclicTimeouts<>(client.getScheduler()) {
            @Override
            protected Iterator<HeadersWait> iterator() {
                return awaitingHeaders.iterator();
            }

            @Override
            protected boolean onExpired(HeadersWait wait) {
                wait.expire();
                return true;
            }
        };
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<Policy> policies() {
        return config.policies();
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        CompletableFuture<Response> answer = new CompletableFuture<>();
        Attempts attempts = new Attempts(exchange, (response, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(response);
            }
        });
        attempts.next();
        try {
            return answer.get();
        } catch (InterruptedException e) {
            attempts.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void handle(Exchange exchange, BiConsumer<Response, Throwable> then) {
        new Attempts(exchange, then).next();
    }

    /** The attempts to serve one exchange: one per endpoint tried, retried on connection failures. */
    private final class Attempts {
        private final Exchange exchange;
        private final BiConsumer<Response, Throwable> then;
        private final Set<EndpointState> tried = new HashSet<>();
        private int left;
        private volatile Request current;

        Attempts(Exchange exchange, BiConsumer<Response, Throwable> then) {
            this.exchange = exchange;
            this.then = then;
            this.left = 1 + (IDEMPOTENT.contains(exchange.method()) ? config.retries() : 0);
        }

        void next() {
            left--;
            EndpointState endpoint = balancer.pick(tried);
            tried.add(endpoint);
            try {
                send(endpoint);
            } catch (RuntimeException e) {
                then.accept(null, e);
            }
        }

        void abort(Throwable cause) {
            Request request = current;
            if (request != null) {
                request.abort(cause);
            }
        }

        private void send(EndpointState endpoint) {
            Request request = newRequest(exchange, endpoint);
            current = request;
            AtomicBoolean answered = new AtomicBoolean();
            long start = System.nanoTime();
            endpoint.active.incrementAndGet();
            HeadersWait wait = new HeadersWait(request, endpoint, answered, System.nanoTime() + config.responseHeadersTimeout().toNanos());
            awaitingHeaders.add(wait);
            headersTimeouts.schedule(wait);
            request.onResponseContentSource((upstream, source) -> {
                if (answered.compareAndSet(false, true)) {
                    awaitingHeaders.remove(wait);
                    HttpFields.Mutable headers = ProxyHeaders.responseHeaders(upstream.getHeaders());
                    if (config.responseHeaders() != null) {
                        config.responseHeaders().apply(headers);
                    }
                    answer(endpoint, Response.of(upstream.getStatus(), headers, Body.stream(source)), start);
                }
            });
            request.send(result -> {
                endpoint.active.decrementAndGet();
                if (answered.compareAndSet(false, true)) {
                    awaitingHeaders.remove(wait);
                    if (result.isFailed()) {
                        failed(endpoint, result.getFailure());
                    } else {
                        // No content source was offered (a response without body).
                        HttpFields.Mutable headers = ProxyHeaders.responseHeaders(result.getResponse().getHeaders());
                        if (config.responseHeaders() != null) {
                            config.responseHeaders().apply(headers);
                        }
                        answer(endpoint, Response.of(result.getResponse().getStatus(), headers, Body.empty()), start);
                    }
                }
            });
        }

        private void answer(EndpointState endpoint, Response response, long start) {
            if (response.status() >= 500) {
                recordFailure(endpoint, "status_" + response.status());
            } else {
                endpoint.succeeded();
            }
            upstreamTimers.computeIfAbsent(new TimerKey(endpoint.authority, HttpMethods.forTag(exchange.method()), response.status()),
                            key -> Timer.builder("http.client.request.duration")
                                    .description("Time from sending a request upstream to its response headers")
                                    .tags("gateway", gatewayName, "gateway.backend", config.name(), "server.address", key.authority(),
                                            "http.request.method", key.method(), "http.response.status_code", Integer.toString(key.status()))
                                    .register(registry))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            then.accept(response, null);
        }

        private void failed(EndpointState endpoint, Throwable failure) {
            Exception translated = translate(failure, endpoint);
            if (translated instanceof ConnectFailure connectFailure) {
                if (left > 0) {
                    LOG.debug("backend '{}': connection to {} failed; trying another endpoint", config.name(), endpoint);
                    next();
                    return;
                }
                then.accept(null, connectFailure.answer);
                return;
            }
            then.accept(null, translated);
        }
    }

    /** A request waiting for its response headers, until a deadline. */
    private final class HeadersWait implements CyclicTimeouts.Expirable {
        private final Request request;
        private final EndpointState endpoint;
        private final AtomicBoolean answered;
        private final long deadline;

        HeadersWait(Request request, EndpointState endpoint, AtomicBoolean answered, long deadline) {
            this.request = request;
            this.endpoint = endpoint;
            this.answered = answered;
            this.deadline = deadline;
        }

        @Override
        public long getExpireNanoTime() {
            return deadline;
        }

        void expire() {
            if (!answered.get()) {
                recordFailure(endpoint, "timeout");
                request.abort(GatewayException.gatewayTimeout("Backend '" + config.name() + "' did not answer within "
                        + config.responseHeadersTimeout().toMillis() + " ms", null));
            }
        }
    }

    /** Stops the header timer. */
    @Override
    public void close() {
        headersTimeouts.destroy();
    }

    private Request newRequest(Exchange exchange, EndpointState endpoint) {
        HttpBackend.Endpoint target = endpoint.endpoint;
        String pathQuery = target.basePath() + exchange.path() + (exchange.query() == null ? "" : "?" + exchange.query());
        Request request = client.newRequest(target.uri().getHost(), port(target))
                .scheme(target.uri().getScheme())
                .method(exchange.method())
                .path(pathQuery);
        if (config.upstreamOptions().protocol() == UpstreamOptions.Protocol.H2C) {
            request.version(HttpVersion.HTTP_2);
        }
        boolean preserveHost = config.hostHeader() == HttpBackend.HostHeader.PRESERVE;
        request.headers(headers -> {
            ProxyHeaders.copyRequestHeaders(exchange.requestHeaders(), headers, preserveHost);
            if (config.hostHeader() == HttpBackend.HostHeader.FIXED) {
                headers.put(HttpHeader.HOST, config.hostHeaderValue());
            }
            ProxyHeaders.addForwarded(exchange, headers, trustForwarded);
            if (config.requestHeaders() != null) {
                config.requestHeaders().apply(headers);
            }
        });
        if (hasBody(exchange)) {
            request.body(new ContentSourceRequestContent(exchange.requestBody(),
                    exchange.requestHeaders().get(HttpHeader.CONTENT_TYPE)));
        }
        if (!config.totalTimeout().isZero()) {
            request.timeout(config.totalTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!config.idleTimeout().isZero()) {
            request.idleTimeout(config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
        return request;
    }

    private Exception translate(Throwable failure, EndpointState endpoint) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GatewayException gatewayException) {
                return gatewayException; // e.g. 413 from the body limit while streaming the request
            }
        }
        if (isConnectFailure(failure)) {
            recordFailure(endpoint, "connect");
            Counter.builder("agentgateway.upstream.connect.failures")
                    .description("Connections to upstream endpoints that could not be established")
                    .tags("gateway", gatewayName, "gateway.backend", config.name(), "server.address", endpoint.authority)
                    .register(registry)
                    .increment();
            boolean timedOut = failure instanceof SocketTimeoutException
                    || String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("timeout");
            GatewayException answer = timedOut
                    ? GatewayException.gatewayTimeout("Backend '" + config.name() + "': connecting to " + endpoint + " timed out", failure)
                    : GatewayException.badGateway("Backend '" + config.name() + "': cannot connect to " + endpoint + ": " + failure, failure);
            return new ConnectFailure(answer);
        }
        if (failure instanceof TimeoutException) {
            recordFailure(endpoint, "timeout");
            return GatewayException.gatewayTimeout("Backend '" + config.name() + "' did not complete within "
                    + config.totalTimeout().toMillis() + " ms", failure);
        }
        recordFailure(endpoint, "io");
        return GatewayException.badGateway("Backend '" + config.name() + "' failed: " + failure, failure);
    }

    private void recordFailure(EndpointState endpoint, String reason) {
        if (endpoint.failed()) {
            LOG.warn("backend '{}': endpoint {} ejected for {} s after {} consecutive failures (last: {})", config.name(),
                    endpoint, config.ejectionCooldown().toSeconds(), config.consecutiveFailures(), reason);
        }
    }

    private static boolean isConnectFailure(Throwable failure) {
        return failure instanceof ConnectException || failure instanceof NoRouteToHostException
                || failure instanceof UnresolvedAddressException || failure instanceof UnknownHostException
                || (failure instanceof SocketTimeoutException s && String.valueOf(s.getMessage()).contains("Connect"));
    }

    private static boolean hasBody(Exchange exchange) {
        long length = exchange.requestContentLength();
        if (length == 0) {
            return false;
        }
        if (length > 0) {
            return true;
        }
        return exchange.requestHeaders().contains(HttpHeader.TRANSFER_ENCODING)
                || !USUALLY_BODYLESS.contains(exchange.method().toUpperCase(Locale.ROOT))
                && !HttpMethod.CONNECT.is(exchange.method());
    }

    private static int port(HttpBackend.Endpoint endpoint) {
        int port = endpoint.uri().getPort();
        return port > 0 ? port : endpoint.uri().getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** A connection that could not be made: safe to retry elsewhere, the request never left. */
    private static final class ConnectFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient GatewayException answer;

        ConnectFailure(GatewayException answer) {
            super(answer.getMessage(), null, false, false);
            this.answer = answer;
        }
    }
}
