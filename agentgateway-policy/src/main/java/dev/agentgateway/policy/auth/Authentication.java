package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The authentication policy: asks its {@link Authenticator}s in order, and the first that recognises a
 * credential decides. An accepted caller is stored as {@link Principal#KEY} and the credential as
 * {@link Credential#KEY}; the credential is removed from the request forwarded upstream unless
 * {@link Builder#passthrough(boolean)} is set. Refusals are answered 401 in the route's protocol
 * ({@link Exchange#errorResponse}: a JSON-RPC error on MCP and A2A, an OpenAI or Anthropic error on LLM
 * routes) with one {@code WWW-Authenticate} challenge per authenticator.
 *
 * <pre>{@code
 * Policy auth = Authentication.builder()
 *         .authenticator(JwtAuth.builder().issuer(JwtIssuer.builder("https://idp.example.com")
 *                 .jwksUri("https://idp.example.com/jwks").audience("agentgateway").build()).build())
 *         .authenticator(ApiKeyAuth.builder().store(keys).build())
 *         .mode(AuthMode.REQUIRED)
 *         .build();
 * Route.builder("mcp").pathPrefix("/mcp").policy(auth).backend(mcp).build();
 * }</pre>
 *
 * <p>Metrics: {@code agentgateway.auth.requests} counted by {@code scheme} and {@code result}
 * ({@code authenticated}, {@code rejected}, {@code absent}); no credential ever appears in a tag or log.
 *
 * <p><b>Anonymous operations.</b> {@link Builder#anonymousFor(Predicate)} names operations a caller may
 * perform without a credential on an otherwise {@link AuthMode#REQUIRED} route, typically an A2A agent's
 * public card, the discovery document through which a client learns how to authenticate
 * ({@code A2aBackend.PUBLIC_CARD}). The exemption is opt-in and decided on the {@link Operation} the
 * route's backend recorded while inspecting the request, not on the path, so a path trick cannot turn
 * another call into an exempt one; a request with no recorded operation is never exempt. An exempt
 * request is treated with {@link AuthMode#OPTIONAL} semantics: no credential passes as anonymous, a
 * valid one is accepted as usual, and a bad or unrecognised one is still refused 401.
 */
public final class Authentication implements Policy {
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);

    private static final AuthResult.Rejected UNRECOGNISED =
            new AuthResult.Rejected(AuthResult.Rejected.INVALID_TOKEN, "Unrecognised credential");

    private final List<Authenticator> authenticators;
    private final AuthMode mode;
    private final boolean passthrough;
    private final Predicate<Operation> anonymous;
    private final MeterRegistry meters;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    private Authentication(List<Authenticator> authenticators, AuthMode mode, boolean passthrough,
            Predicate<Operation> anonymous, MeterRegistry meters) {
        this.authenticators = List.copyOf(authenticators);
        this.mode = mode;
        this.passthrough = passthrough;
        this.anonymous = anonymous;
        this.meters = meters;
    }

    /** A policy that requires one of these authenticators to accept the caller. */
    public static Authentication required(Authenticator... authenticators) {
        Builder builder = builder();
        for (Authenticator authenticator : authenticators) {
            builder.authenticator(authenticator);
        }
        return builder.build();
    }

    /** A builder; at least one authenticator is needed. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATION;
    }

    @Override
    public Policy bind(GatewayContext gateway) throws Exception {
        List<Authenticator> bound = new ArrayList<>(authenticators.size());
        try {
            for (Authenticator authenticator : authenticators) {
                bound.add(authenticator.bind(gateway));
            }
        } catch (Exception e) {
            for (Authenticator authenticator : bound) {
                authenticator.close();
            }
            throw e;
        }
        return new Authentication(bound, mode, passthrough, anonymous, gateway.meterRegistry());
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        for (Authenticator authenticator : authenticators) {
            try {
                authenticator.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        AuthMode mode = effectiveMode(exchange);
        for (Authenticator authenticator : authenticators) {
            AuthResult result = authenticator.authenticate(exchange);
            switch (result) {
                case AuthResult.Authenticated accepted -> {
                    count(authenticator.scheme(), "authenticated");
                    exchange.attribute(Principal.KEY, accepted.principal());
                    exchange.attribute(Credential.KEY, accepted.credential());
                    if (!passthrough) {
                        accepted.location().remove(exchange);
                    }
                    return next.proceed(exchange);
                }
                case AuthResult.Rejected rejected -> {
                    count(authenticator.scheme(), "rejected");
                    if (mode == AuthMode.PERMISSIVE) {
                        LOG.warn("Permissive authentication: {} credential refused on route {} ({}); passing as anonymous",
                                authenticator.scheme(), exchange.route().name(), rejected.description());
                        return next.proceed(exchange);
                    }
                    LOG.debug("{} credential refused on route {}: {}", authenticator.scheme(), exchange.route().name(),
                            rejected.description());
                    return unauthorized(exchange, rejected, authenticator);
                }
                case AuthResult.Absent absent -> {
                    // not this authenticator's credential: ask the next one
                }
            }
        }
        if (mode == AuthMode.OPTIONAL && exchange.requestHeaders().contains(HttpHeader.AUTHORIZATION)) {
            // a credential nobody recognises is a bad credential, not an anonymous caller
            count("none", "rejected");
            return unauthorized(exchange, UNRECOGNISED, null);
        }
        count("none", "absent");
        if (mode == AuthMode.REQUIRED) {
            return unauthorized(exchange, null, null);
        }
        if (mode == AuthMode.PERMISSIVE) {
            LOG.info("Permissive authentication: no credential on route {}; passing as anonymous", exchange.route().name());
        }
        return next.proceed(exchange);
    }

    /** {@link AuthMode#OPTIONAL} for a required route's anonymous operations, else the configured mode. */
    private AuthMode effectiveMode(Exchange exchange) {
        if (mode != AuthMode.REQUIRED || anonymous == null) {
            return mode;
        }
        Operation operation = exchange.attribute(Operation.KEY);
        return operation != null && anonymous.test(operation) ? AuthMode.OPTIONAL : mode;
    }

    /** 401 with the refusing authenticator's challenge, or every authenticator's when nothing was presented. */
    private Response unauthorized(Exchange exchange, AuthResult.Rejected rejected, Authenticator refusing) {
        String message = rejected == null ? "Authentication required" : rejected.description();
        Response response = exchange.errorResponse(new GatewayException(401, "unauthorized", message));
        for (Authenticator authenticator : refusing == null ? authenticators : List.of(refusing)) {
            String challenge = authenticator.challenge(rejected, exchange);
            if (challenge != null) {
                response.headers().add(HttpHeader.WWW_AUTHENTICATE, challenge);
            }
        }
        return response;
    }

    private void count(String scheme, String result) {
        if (meters != null) {
            counters.computeIfAbsent(scheme + '\0' + result, key -> Counter.builder("agentgateway.auth.requests")
                    .description("Authentication decisions")
                    .tag("scheme", scheme).tag("result", result).register(meters)).increment();
        }
    }

    /** Configures an {@link Authentication} policy. */
    public static final class Builder {
        private final List<Authenticator> authenticators = new ArrayList<>();
        private AuthMode mode = AuthMode.REQUIRED;
        private boolean passthrough;
        private Predicate<Operation> anonymous;

        private Builder() {
        }

        /** Adds an authenticator; they are asked in the order added. */
        public Builder authenticator(Authenticator authenticator) {
            authenticators.add(requireNonNull(authenticator, "authenticator"));
            return this;
        }

        /** How strictly to enforce; {@link AuthMode#REQUIRED} by default. */
        public Builder mode(AuthMode mode) {
            this.mode = requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Whether the accepted credential stays on the request sent upstream; {@code false} by default,
         * because forwarding a caller's token to a server it was not issued for makes a confused deputy.
         */
        public Builder passthrough(boolean passthrough) {
            this.passthrough = passthrough;
            return this;
        }

        /**
         * Operations callers may perform without a credential on a {@link AuthMode#REQUIRED} route (opt-in;
         * none by default), judged on the {@link Operation} the backend recorded; a request without one is
         * never exempt. A credential presented on such a request is still checked, and a bad one refused
         * ({@link AuthMode#OPTIONAL} semantics). Calling this again adds to the exempt operations.
         */
        public Builder anonymousFor(Predicate<Operation> operations) {
            requireNonNull(operations, "operations");
            this.anonymous = anonymous == null ? operations : anonymous.or(operations);
            return this;
        }

        /** The policy. */
        public Authentication build() {
            if (authenticators.isEmpty()) {
                throw new IllegalArgumentException("Authentication needs at least one authenticator");
            }
            return new Authentication(authenticators, mode, passthrough, anonymous, null);
        }
    }
}
