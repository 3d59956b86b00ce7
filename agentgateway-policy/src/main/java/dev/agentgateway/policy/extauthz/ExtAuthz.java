package dev.agentgateway.policy.extauthz;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.policy.upstream.internal.TokenSlot;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External authorization in the contract of Envoy's {@code ext_authz}: every request is checked by an
 * authorization service before it goes on, over HTTP or gRPC ({@code envoy.service.auth.v3.Authorization/Check}).
 *
 * <pre>{@code
 * Route.builder("tools").pathPrefix("/mcp")
 *         .policy(jwtAuthentication)
 *         .policy(ExtAuthz.builder()
 *                 .http(URI.create("http://authz.internal:9000/check"))  // or .grpc(URI.create("http://authz.internal:9001"))
 *                 .allowedHeaders("authorization", "cookie")            // the default
 *                 .allowedUpstreamHeaders("x-user-id")                  // copied from an allowing answer to the upstream request
 *                 .timeout(Duration.ofSeconds(1))                       // the default
 *                 .build())
 *         .backend(mcp)
 *         .build();
 * }</pre>
 *
 * <p><b>What the service is told.</b> HTTP: a request with the client's method, to the service's path
 * followed by the client's path and query, carrying the client's headers named by
 * {@link Builder#allowedHeaders} (default {@code Authorization} and {@code Cookie}: Envoy forwards
 * only {@code Authorization}; session-based services need the cookie), {@code X-Forwarded-Host},
 * {@code -Proto} and {@code -For}, and no body unless {@link Builder#includeBody} says so (a longer
 * body is cut and marked {@code x-envoy-auth-partial-body: true}). The gateway adds what it knows:
 * {@code x-agentgateway-protocol}, {@code -action}, {@code -resource-type}, {@code -resource} (the
 * {@link dev.agentgateway.core.Operation} a protocol module recorded, such as {@code mcp call_tool Tool
 * github_search}; {@code http http_request Route <route name>} on plain routes) and, for an
 * authenticated caller, {@code x-agentgateway-principal} and {@code -principal-scheme}; values outside
 * printable ASCII are percent-encoded as UTF-8. gRPC: a {@code CheckRequest} with the same facts in
 * {@code attributes.request.http} and in {@code context_extensions} ({@code protocol}, {@code action},
 * {@code resource_type}, {@code resource}, {@code principal}, {@code principal_scheme}).
 *
 * <p><b>Answers.</b> HTTP 2xx allows, and the answer's headers named by
 * {@link Builder#allowedUpstreamHeaders} replace same-named ones on the upstream request; gRPC
 * {@code OK} allows, and every header of {@code ok_response.headers} (the service chose them) replaces
 * its namesake upstream. HTTP 401 denies with 401 and the answer's {@code WWW-Authenticate}; any other
 * 3xx or 4xx denies with 403. A gRPC answer with another status denies with its
 * {@code denied_response.status} if that is 401, else 403, adding the {@code denied_response.headers}
 * to the client's answer. The denial is the
 * route's own error shape ({@link Exchange#errorResponse}, code {@code ext_authz_denied}): a JSON-RPC
 * error for MCP and A2A clients, an OpenAI error for LLM clients; its message is the service's body
 * when that is a short text. The upstream is not called.
 *
 * <p><b>Failures.</b> A service that cannot be reached, answers later than {@link Builder#timeout}
 * (default 1 s; Envoy's is 200 ms, tight for a service that calls an identity provider on a cold
 * cache), answers HTTP 5xx or 1xx, drops the connection, or fails the gRPC call ({@code UNAVAILABLE},
 * {@code DEADLINE_EXCEEDED}, or anything else that is not a {@code CheckResponse}) is a failure, not a
 * denial. A gRPC channel that lost its service tries to reconnect on each check (waiting up to 100 ms
 * for it) instead of waiting out grpc-java's backoff, so a restarted service is used at once. By default the
 * policy fails closed with 403 ({@code ext_authz_error}, as Envoy's {@code status_on_error}); with
 * {@link Builder#failOpen failOpen(true)} the request goes on, with a warning logged at most once a
 * minute. Every check counts in {@code agentgateway.ext_authz.checks}, tagged
 * {@code outcome=allow|deny|error}.
 */
public final class ExtAuthz implements Policy {
    static final String DENIED_MESSAGE = "Denied by the external authorization service";
    static final String METRIC = "agentgateway.ext_authz.checks";
    private static final Logger LOG = LoggerFactory.getLogger(ExtAuthz.class);

    private final Builder config;
    private final AuthorizationService service;
    private final MeterRegistry meters;
    private final TokenSlot.WarningLimiter warnings = new TokenSlot.WarningLimiter();

    private ExtAuthz(Builder config, AuthorizationService service, MeterRegistry meters) {
        this.config = config;
        this.service = service;
        this.meters = meters;
    }

    /** A builder; {@link Builder#http} or {@link Builder#grpc} is required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZATION;
    }

    @Override
    public Policy bind(GatewayContext gateway) {
        AuthorizationService bound = config.grpc
                ? new GrpcAuthorizationService(config.service, config.timeout, gateway)
                : new HttpAuthorizationService(config.service, config.timeout, config.maxBodyBytes,
                        config.upstreamHeaders, gateway);
        return new ExtAuthz(config, bound, gateway.meterRegistry());
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        if (service == null) {
            throw new IllegalStateException("ExtAuthz is not bound to a gateway");
        }
        Verdict verdict;
        try {
            verdict = service.check(exchange, CheckFacts.of(exchange, config.allowedHeaders));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw e;
        } catch (Exception e) {
            count("error");
            if (warnings.allow(Instant.now())) {
                LOG.warn("External authorization at {} failed ({}); {}", config.service, e.toString(),
                        config.failOpen ? "letting requests through (fail open)" : "denying requests (fail closed)");
            }
            if (config.failOpen) {
                return next.proceed(exchange);
            }
            return exchange.errorResponse(new GatewayException(403, "ext_authz_error",
                    "The external authorization service is unavailable"));
        }
        if (!verdict.allowed()) {
            count("deny");
            Response denial = exchange.errorResponse(new GatewayException(verdict.status(), "ext_authz_denied",
                    verdict.message()));
            verdict.clientHeaders().forEach(denial::header);
            return denial;
        }
        count("allow");
        verdict.upstreamHeaders().forEach((name, value) -> exchange.requestHeaders().put(name, value));
        return next.proceed(exchange);
    }

    private void count(String outcome) {
        meters.counter(METRIC, "outcome", outcome).increment();
    }

    @Override
    public void close() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Override
    public String toString() {
        return "ExtAuthz[" + (config.grpc ? "grpc " : "http ") + config.service + "]";
    }

    /** Configures an {@link ExtAuthz}. */
    public static final class Builder {
        private URI service;
        private boolean grpc;
        private Duration timeout = Duration.ofSeconds(1);
        private boolean failOpen;
        private int maxBodyBytes;
        private Set<String> allowedHeaders = Set.of("authorization", "cookie");
        private Set<String> upstreamHeaders = Set.of();

        private Builder() {
        }

        /** The HTTP service: checks go to this URI's path followed by the client's path. */
        public Builder http(URI service) {
            this.service = checkUri(service);
            this.grpc = false;
            return this;
        }

        /** The gRPC service at {@code http://host:port} (plaintext) or {@code https://host:port} (TLS). */
        public Builder grpc(URI service) {
            this.service = checkUri(service);
            this.grpc = true;
            return this;
        }

        /** How long a check may take, connecting included; default 1 s. */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Whether requests go on when the service fails (not when it denies); default {@code false}. */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        /** Sends up to {@code maxBytes} of the request body to the HTTP service; default none (0). */
        public Builder includeBody(int maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
            }
            this.maxBodyBytes = maxBytes;
            return this;
        }

        /** The client's headers the service sees (case-insensitive), replacing the default {@code authorization, cookie}. */
        public Builder allowedHeaders(String... names) {
            this.allowedHeaders = lowerCase(names);
            return this;
        }

        /** The headers of an allowing answer that are set on the upstream request; default none. */
        public Builder allowedUpstreamHeaders(String... names) {
            this.upstreamHeaders = lowerCase(names);
            return this;
        }

        /**
         * The policy.
         *
         * @throws IllegalStateException when no service is configured
         */
        public ExtAuthz build() {
            if (service == null) {
                throw new IllegalStateException("ExtAuthz needs a service: call http(URI) or grpc(URI)");
            }
            if (grpc && maxBodyBytes > 0) {
                throw new IllegalStateException("includeBody is only supported with the HTTP service");
            }
            Builder copy = new Builder();
            copy.service = service;
            copy.grpc = grpc;
            copy.timeout = timeout;
            copy.failOpen = failOpen;
            copy.maxBodyBytes = maxBodyBytes;
            copy.allowedHeaders = allowedHeaders;
            copy.upstreamHeaders = upstreamHeaders;
            return new ExtAuthz(copy, null, null);
        }

        private static URI checkUri(URI uri) {
            requireNonNull(uri, "service");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("service must be an http or https URI with a host: " + uri);
            }
            return uri;
        }

        private static Set<String> lowerCase(String... names) {
            return Arrays.stream(requireNonNull(names, "names"))
                    .map(name -> requireNonNull(name, "name").toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }
    }
}
