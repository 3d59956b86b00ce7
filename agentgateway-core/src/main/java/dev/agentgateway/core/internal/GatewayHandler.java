package dev.agentgateway.core.internal;

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
 * Runs on a virtual thread (a blocking handler).
 */
final class GatewayHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);

    private final GatewayContext gateway;
    private final RouteTable<BoundRoute> routes;
    private final GatewayMetrics metrics;
    private final ObservationRegistry observations;
    private final boolean accessLog;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();

    GatewayHandler(GatewayContext gateway, RouteTable<BoundRoute> routes, GatewayMetrics metrics,
                   boolean accessLog) {
        this.gateway = gateway;
        this.routes = routes;
        this.metrics = metrics;
        this.observations = gateway.observationRegistry();
        this.accessLog = accessLog;
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
            Response notFound = ErrorBodies.error(404, "route_not_found",
                    "No route matches " + method + " " + uri.getPath());
            finish(id, request, response, callback, notFound, "none", "none", start, "route_not_found", null, null);
            return true;
        }
        BoundRoute bound = match.value();
        String routeName = bound.route().name();
        String backendName = bound.backend().name();
        JettyExchange exchange = new JettyExchange(id, request, canonicalPath, bound.route(), backendName,
                match.pathParameters(), gateway, start, bound.maxRequestBodySize());
        LongTaskTimer.Sample active = metrics.startActive(routeName);
        Observation observation = startObservation(request, routeName, method);
        String errorType = null;
        Response result;
        try (Observation.Scope ignored = observation.openScope()) {
            long declared = request.getLength();
            if (declared > bound.maxRequestBodySize()) {
                throw GatewayException.payloadTooLarge(bound.maxRequestBodySize());
            }
            result = bound.backend().inspect(exchange);
            if (result == null) {
                result = bound.chain().proceed(exchange);
            }
        } catch (GatewayException e) {
            errorType = e.code();
            result = ErrorBodies.error(e.status(), e.code(), e.getMessage());
        } catch (Throwable t) {
            GatewayException wrapped = findGatewayException(t);
            if (wrapped != null) {
                errorType = wrapped.code();
                result = ErrorBodies.error(wrapped.status(), wrapped.code(), wrapped.getMessage());
            } else {
                errorType = t.getClass().getSimpleName();
                LOG.error("route '{}' failed on {} {}", routeName, method, uri.getPath(), t);
                result = ErrorBodies.error(500, "internal_error", "The gateway failed to serve the request (id " + id + ")");
            }
        }
        finish(id, request, response, callback, result, routeName, backendName, start, errorType, exchange, () -> {
            active.stop();
            if (observation != Observation.NOOP) {
                observation.lowCardinalityKeyValue("http.response.status_code", Integer.toString(response.getStatus()));
                observation.stop();
            }
        });
        return true;
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

    private void finish(String id, Request request, org.eclipse.jetty.server.Response response, Callback callback,
                        Response result, String route, String backend, long start, String errorType,
                        JettyExchange exchange, Runnable afterSend) {
        ResponseSender.Outcome outcome = ResponseSender.send(result, request, response);
        Throwable failure = outcome.failure;
        if (failure != null && !outcome.committed && !response.isCommitted()) {
            GatewayException gatewayException = findGatewayException(failure);
            Response error = gatewayException != null
                    ? ErrorBodies.error(gatewayException.status(), gatewayException.code(), gatewayException.getMessage())
                    : ErrorBodies.error(502, "bad_gateway", "The response could not be produced: " + failure.getMessage());
            errorType = gatewayException != null ? gatewayException.code() : "response_failed";
            response.reset();
            ResponseSender.Outcome second = ResponseSender.send(error, request, response);
            failure = second.failure;
            outcome = second;
        } else if (failure != null) {
            errorType = errorType == null ? (outcome.producerFailed ? "upstream_aborted" : "client_aborted") : errorType;
        }
        long nanos = System.nanoTime() - start;
        int status = response.getStatus();
        metrics.recordRequest(route, backend, request.getMethod(), status, errorType, nanos);
        if (afterSend != null) {
            afterSend.run();
        }
        if (exchange != null) {
            exchange.complete(failure);
        }
        if (accessLog) {
            AccessLog.write(id, gateway.name(), request.getMethod(), request.getHttpURI().getPath(),
                    request.getConnectionMetaData().getProtocol(), Request.getRemoteAddr(request), route, backend,
                    status, outcome.bytes, nanos, errorType);
        }
        // Last: the body is written by now; completing the callback ends the exchange for Jetty.
        if (failure == null) {
            callback.succeeded();
        } else {
            callback.failed(failure);
        }
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
