package dev.agentgateway.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Response;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every request of a gateway: matches the route, lets the backend inspect the request, runs the
 * policy chain and the backend, sends the response, and records meters, observation and access log.
 *
 * <p>Route matching runs on the I/O thread. Everything that may block (policies, most backends, writer
 * bodies) then runs on a virtual thread. A route whose chain is only a {@link NonBlockingBackend} (the
 * HTTP proxy, with at most path and header rewrites) is served without that hand-off: nothing in it
 * blocks, and each hand-off is a context switch a proxy pays on every request.
 */
final class GatewayHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final GatewayContext gateway;
    private final RouteTable<BoundRoute> routes;
    private final GatewayMetrics metrics;
    private final ObservationRegistry observations;
    private final boolean accessLog;
    private final Executor blocking;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();

    /** What is known of a request once its route matched (or did not). */
    private record Served(String id, long start, Request request, org.eclipse.jetty.server.Response response, Callback callback,
                          String route, String backend, JettyExchange exchange, LongTaskTimer.Sample active, Observation observation,
                          AtomicBoolean finished) {
    }

    GatewayHandler(GatewayContext gateway, RouteTable<BoundRoute> routes, GatewayMetrics metrics, boolean accessLog,
                   Executor blocking) {
        super(InvocationType.NON_BLOCKING);
        this.gateway = gateway;
        this.routes = routes;
        this.metrics = metrics;
        this.observations = gateway.observationRegistry();
        this.accessLog = accessLog;
        this.blocking = blocking;
        this.idPrefix = Long.toString(System.nanoTime() & 0xFFFFFF, 36) + "-";
    }

    @Override
    public boolean handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        long start = System.nanoTime();
        String id = idPrefix + Long.toString(sequence.incrementAndGet(), 36);
        String method = request.getMethod();
        HttpURI uri = request.getHttpURI();
        String canonicalPath = uri.getCanonicalPath();
        if (canonicalPath == null || canonicalPath.isEmpty()) {
            canonicalPath = "/";
        }
        Fields query = uri.getQuery() == null ? null : Request.extractQueryParameters(request);
        RouteTable.Match<BoundRoute> match = routes.match(method, Request.getServerName(request), canonicalPath,
                request.getHeaders(), query);
        if (match == null) {
            Response notFound = Response.error(404, "route_not_found", "No route matches " + method + " " + uri.getPath());
            Served served = new Served(id, start, request, response, callback, "none", "none", null, null, Observation.NOOP,
                    new AtomicBoolean());
            blocking.execute(() -> sendBlocking(served, notFound, "route_not_found"));
            return true;
        }
        BoundRoute bound = match.value();
        JettyExchange exchange = new JettyExchange(id, request, canonicalPath, bound.route(), bound.backend(),
                match.pathParameters(), gateway, start, bound.maxRequestBodySize());
        Served served = new Served(id, start, request, response, callback, bound.route().name(), bound.backend().name(),
                exchange, metrics.startActive(bound.route().name()), startObservation(request, bound.route().name(), method),
                new AtomicBoolean());
        if (bound.nonBlocking() != null && request.getLength() <= bound.maxRequestBodySize()) {
            serveNonBlocking(served, bound);
        } else {
            blocking.execute(() -> serveBlocking(served, bound));
        }
        return true;
    }

    private void serveBlocking(Served served, BoundRoute bound) {
        String errorType = null;
        Response result;
        try (Observation.Scope ignored = served.observation().openScope()) {
            if (served.request().getLength() > bound.maxRequestBodySize()) {
                throw GatewayException.payloadTooLarge(bound.maxRequestBodySize());
            }
            result = bound.backend().inspect(served.exchange());
            if (result == null) {
                result = bound.chain().proceed(served.exchange());
            }
        } catch (Throwable t) {
            GatewayException known = findGatewayException(t);
            errorType = known != null ? known.code() : t.getClass().getSimpleName();
            result = errorResponse(served, t);
        }
        sendBlocking(served, result, errorType);
    }

    private void serveNonBlocking(Served served, BoundRoute bound) {
        RouteTransforms transforms = bound.transforms();
        AtomicBoolean answered = new AtomicBoolean();
        try {
            if (transforms != null) {
                transforms.applyToRequest(served.exchange());
            }
            bound.nonBlocking().handle(served.exchange(), (response, failure) -> {
                if (!answered.compareAndSet(false, true)) {
                    return;
                }
                try {
                    String errorType = null;
                    Response result = response;
                    if (failure != null) {
                        GatewayException known = findGatewayException(failure);
                        errorType = known != null ? known.code() : failure.getClass().getSimpleName();
                        result = errorResponse(served, failure);
                    } else if (transforms != null) {
                        transforms.applyToResponse(result);
                    }
                    sendNonBlocking(served, result, errorType);
                } catch (Throwable t) {
                    LOG.error("route '{}': sending the response of exchange {} failed", served.route(), served.id(), t);
                    finish(served, failedOutcome(t), "internal_error");
                }
            });
        } catch (Throwable t) {
            if (answered.compareAndSet(false, true)) {
                GatewayException known = findGatewayException(t);
                String errorType = known != null ? known.code() : t.getClass().getSimpleName();
                Response error = errorResponse(served, t);
                blocking.execute(() -> sendBlocking(served, error, errorType));
            } else {
                LOG.error("route '{}': exchange {} failed after its answer", served.route(), served.id(), t);
            }
        }
    }

    private static ResponseSender.Outcome failedOutcome(Throwable failure) {
        ResponseSender.Outcome outcome = new ResponseSender.Outcome();
        outcome.failure = failure;
        return outcome;
    }

    private Response errorResponse(Served served, Throwable failure) {
        GatewayException known = findGatewayException(failure);
        if (known == null) {
            LOG.error("route '{}' failed on {} {}", served.route(), served.request().getMethod(), served.request().getHttpURI().getPath(), failure);
            known = new GatewayException(500, "internal_error", "The gateway failed to serve the request (id " + served.id() + ")");
        }
        // The route's backend answers in its protocol's error shape (JSON-RPC, OpenAI, ...).
        return served.exchange() != null ? served.exchange().errorResponse(known)
                : Response.error(known.status(), known.code(), known.getMessage());
    }

    /**
     * An answer given without reading the request body (a refusal by a policy) leaves that body on the
     * connection: what has arrived is discarded, and if more is still coming the connection is closed
     * after the answer, and the answer says so. Without the header a client may send its next request
     * on a connection the server is closing, and see it fail ("received no bytes").
     */
    private static void closeIfBodyLeft(Served served, Response result) {
        JettyExchange exchange = served.exchange();
        // HTTP/2 and 3 end the stream instead, and forbid the header
        if (exchange != null && result != null && exchange.requestBodyUntouched() && served.request().getLength() != 0
                && served.request().getConnectionMetaData().getHttpVersion().getVersion() < 20
                && !served.request().consumeAvailable()) {
            result.header("Connection", "close");
        }
    }

    private void sendNonBlocking(Served served, Response result, String errorType) {
        closeIfBodyLeft(served, result);
        if (!AsyncSender.canSend(result)) {
            blocking.execute(() -> sendBlocking(served, result, errorType));
            return;
        }
        AsyncSender.send(result, served.request(), served.response(), outcome -> {
            if (outcome.failure != null && !outcome.committed && !served.response().isCommitted()) {
                // The body failed before anything was written: the client can still get a clear error.
                Response error = failedBody(outcome.failure);
                served.response().reset();
                AsyncSender.send(error, served.request(), served.response(), second -> finish(served, second, errorTypeOf(outcome.failure)));
                return;
            }
            finish(served, outcome, errorType);
        });
    }

    private void sendBlocking(Served served, Response result, String errorType) {
        closeIfBodyLeft(served, result);
        ResponseSender.Outcome outcome = ResponseSender.send(result, served.request(), served.response());
        if (outcome.failure != null && !outcome.committed && !served.response().isCommitted()) {
            Response error = failedBody(outcome.failure);
            errorType = errorTypeOf(outcome.failure);
            served.response().reset();
            outcome = ResponseSender.send(error, served.request(), served.response());
        }
        finish(served, outcome, errorType);
    }

    private static Response failedBody(Throwable failure) {
        GatewayException known = findGatewayException(failure);
        return known != null
                ? Response.error(known.status(), known.code(), known.getMessage())
                : Response.error(502, "bad_gateway", "The response could not be produced: " + failure.getMessage());
    }

    private static String errorTypeOf(Throwable failure) {
        GatewayException known = findGatewayException(failure);
        return known != null ? known.code() : "response_failed";
    }

    /** Records the exchange (meters, observation, completion listeners, access log), then completes it for Jetty. */
    private void finish(Served served, ResponseSender.Outcome outcome, String errorType) {
        if (!served.finished().compareAndSet(false, true)) {
            return;
        }
        Throwable failure = outcome.failure;
        if (failure != null && errorType == null) {
            errorType = outcome.producerFailed ? "upstream_aborted" : "client_aborted";
        }
        Request request = served.request();
        long nanos = System.nanoTime() - served.start();
        int status = served.response().getStatus();
        try {
            metrics.recordRequest(served.route(), served.backend(), request.getMethod(), status, errorType, nanos);
            if (served.active() != null) {
                served.active().stop();
            }
            Observation observation = served.observation();
            if (observation != Observation.NOOP) {
                observation.lowCardinalityKeyValue("http.response.status_code", Integer.toString(status));
                if (failure != null) {
                    observation.error(failure);
                }
                observation.stop();
            }
            if (served.exchange() != null) {
                served.exchange().complete(failure);
            }
            if (accessLog) {
                AccessLog.write(served.id(), gateway.name(), request.getMethod(), request.getHttpURI().getPath(),
                        request.getConnectionMetaData().getProtocol(), Request.getRemoteAddr(request), served.route(),
                        served.backend(), status, outcome.bytes, nanos, errorType);
            }
        } catch (RuntimeException e) {
            LOG.warn("recording exchange {} failed", served.id(), e);
        }
        // Last: the body is written by now; completing the callback ends the exchange for Jetty.
        if (failure == null) {
            served.callback().succeeded();
        } else {
            served.callback().failed(failure);
        }
    }

    private Observation startObservation(Request request, String route, String method) {
        if (observations.isNoop()) {
            return Observation.NOOP;
        }
        RequestReplyReceiverContext<Request, org.eclipse.jetty.server.Response> context =
                new RequestReplyReceiverContext<>((carrier, key) -> carrier.getHeaders().get(key));
        context.setCarrier(request);
        return Observation.createNotStarted("http.server.request", () -> context, observations)
                .contextualName(method + " " + route)
                .lowCardinalityKeyValue("http.route", route)
                .lowCardinalityKeyValue("http.request.method", method)
                .highCardinalityKeyValue("url.path", request.getHttpURI().getPath())
                .start();
    }

    private static GatewayException findGatewayException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof GatewayException gatewayException) {
                return gatewayException;
            }
        }
        return null;
    }
}
