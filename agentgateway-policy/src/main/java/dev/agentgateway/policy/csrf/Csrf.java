package dev.agentgateway.policy.csrf;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.PathMatch;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-site request forgery protection for browser-facing routes, in the shape of Go's
 * {@code net/http.CrossOriginProtection}: no tokens, only the headers browsers send on every request.
 *
 * <pre>{@code
 * Route.builder("admin").pathPrefix("/admin")
 *         .policy(Csrf.builder()
 *                 .trustedOrigins("https://console.example.com")   // another origin allowed to post here
 *                 .exemptPathPrefix("/admin/webhooks")              // called by servers, not browsers
 *                 .build())
 *         .backend(HttpBackend.of("http://127.0.0.1:8081"))
 *         .build();
 * }</pre>
 *
 * <p><b>Decision.</b> {@code GET}, {@code HEAD} and {@code OPTIONS} always pass: they must not change
 * state, and CORS preflights are {@code OPTIONS}. Any other method passes when
 * <ol>
 * <li>{@code Sec-Fetch-Site} is {@code same-origin} or {@code none} (the user typed the address or
 *     used a bookmark); when it has any other value ({@code cross-site}, {@code same-site}) the request
 *     passes only if its {@code Origin} is trusted;</li>
 * <li>without {@code Sec-Fetch-Site} (browsers before 2023, plain HTTP clients), {@code Origin} equals
 *     the request's own origin, {@code scheme://host[:port]} from the scheme and the {@code Host}
 *     (default ports ignored; with {@code Gateway.Builder.trustForwardedHeaders(true)} the scheme and host
 *     named by {@code Forwarded} / {@code X-Forwarded-Proto} / {@code X-Forwarded-Host}), or is trusted;</li>
 * <li>there is neither {@code Sec-Fetch-Site} nor {@code Origin}: the client is not a browser (curl, SDKs,
 *     servers), and a browser cannot be made to leave both out of a cross-site request.</li>
 * </ol>
 * An {@code Origin} of {@code "null"} (sandboxed frames, some redirects), a malformed one or several
 * are never the request's own origin. Requests whose canonical path (decoded, dot segments removed,
 * the whole path rather than the part below the route's prefix) matches an exemption always pass.
 *
 * <p><b>Refusals</b> are answered through {@link Exchange#errorResponse}, so in the route's own shape
 * (a JSON-RPC error on MCP routes), with status 403 and code {@value GatewayException#FORBIDDEN}; the
 * backend is not called. Each counts in {@value #METRIC}, tagged {@code reason}
 * ({@code sec_fetch_site}, {@code origin_mismatch}, {@code origin_invalid}) and {@code route}, and is
 * logged at DEBUG.
 *
 * <p>The policy runs in {@link Phase#PREFLIGHT}, before authentication, so a forged request costs no
 * credential check. Origins a {@link dev.agentgateway.core.Cors} policy allows to send unsafe requests
 * must be trusted here too: CORS decides what a script may read, this policy what it may change.
 */
public final class Csrf implements Policy {
    /** The counter of refused requests. */
    public static final String METRIC = "agentgateway.csrf.refusals";
    private static final Logger LOG = LoggerFactory.getLogger(Csrf.class);
    private static final String SEC_FETCH_SITE = "Sec-Fetch-Site";

    private final Set<String> trustedOrigins;
    private final List<PathMatch> exemptions;
    private final MeterRegistry meters;

    private Csrf(Set<String> trustedOrigins, List<PathMatch> exemptions, MeterRegistry meters) {
        this.trustedOrigins = trustedOrigins;
        this.exemptions = exemptions;
        this.meters = meters;
    }

    /** A builder; with nothing configured only same-origin browser requests may change state. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.PREFLIGHT;
    }

    @Override
    public Policy bind(GatewayContext gateway) {
        return new Csrf(trustedOrigins, exemptions, gateway.meterRegistry());
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        Refusal refusal = switch (exchange.method()) {
            case "GET", "HEAD", "OPTIONS" -> null;
            default -> check(exchange);
        };
        if (refusal == null || exempt(exchange)) {
            return next.proceed(exchange);
        }
        return refuse(exchange, refusal);
    }

    /** The reason to refuse this unsafe request, or {@code null} to let it pass. */
    private Refusal check(Exchange exchange) {
        String site = exchange.requestHeaders().get(SEC_FETCH_SITE);
        List<String> origins = exchange.requestHeaders().getValuesList(HttpHeader.ORIGIN);
        String origin = origins.size() == 1 ? Origins.normalize(origins.getFirst()) : null;
        if (site != null && !site.isEmpty()) {
            if (site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none")) {
                return null;
            }
            return trusted(origin) ? null : Refusal.CROSS_SITE;
        }
        if (origins.isEmpty()) {
            return null;
        }
        if (origin == null) {
            return Refusal.ORIGIN_INVALID;
        }
        if (origin.equals(Origins.of(exchange.scheme(), exchange.authority())) || trusted(origin)) {
            return null;
        }
        return Refusal.ORIGIN_MISMATCH;
    }

    private boolean trusted(String origin) {
        return origin != null && trustedOrigins.contains(origin);
    }

    private boolean exempt(Exchange exchange) {
        if (exemptions.isEmpty()) {
            return false;
        }
        String path = HttpURI.build().path(exchange.originalPath()).getCanonicalPath();
        if (path == null) {
            return false;
        }
        for (PathMatch exemption : exemptions) {
            if (exemption.match(path) != null) {
                return true;
            }
        }
        return false;
    }

    private Response refuse(Exchange exchange, Refusal refusal) {
        String origin = printable(String.join(", ", exchange.requestHeaders().getValuesList(HttpHeader.ORIGIN)));
        String message = switch (refusal) {
            case CROSS_SITE -> "Cross-site request refused: the browser sent Sec-Fetch-Site: "
                    + printable(exchange.requestHeaders().get(SEC_FETCH_SITE))
                    + (origin.isEmpty() ? " without an Origin" : " and Origin '" + origin + "' is not trusted");
            case ORIGIN_MISMATCH -> "Cross-origin request refused: Origin '" + origin
                    + "' is not this server's origin and is not trusted";
            case ORIGIN_INVALID -> "Cross-origin request refused: Origin '" + origin + "' is not a single valid origin";
        };
        if (meters != null) {
            meters.counter(METRIC, "reason", refusal.tag, "route", exchange.route().name()).increment();
        }
        LOG.debug("CSRF: refused {} {} on route '{}' ({}): {}", exchange.method(), printable(exchange.originalPath()),
                exchange.route().name(), refusal.tag, message);
        return exchange.errorResponse(GatewayException.forbidden(message));
    }

    /** A header value fit for a message and a log line: control characters replaced, at most 200 characters. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 200));
        for (int i = 0; i < value.length() && out.length() < 200; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return value.length() > 200 ? out + "..." : out.toString();
    }

    /** Builds a {@link Csrf} policy; every argument is checked where it is set. */
    public static final class Builder {
        private final Set<String> trustedOrigins = new LinkedHashSet<>();
        private final List<PathMatch> exemptions = new ArrayList<>();

        private Builder() {
        }

        /**
         * Origins other than the request's own that may send unsafe requests, each exactly
         * {@code scheme://host[:port]} ({@code https://console.example.com},
         * {@code http://localhost:5173}); compared without case, a default port written or not.
         * Wildcards, {@code "*"} and {@code "null"} are refused: they would turn the protection off.
         */
        public Builder trustedOrigins(String... origins) {
            requireNonNull(origins, "origins");
            List<String> checked = new ArrayList<>();
            for (String origin : origins) {
                requireNonNull(origin, "origin");
                String normalized = Origins.normalize(origin);
                if (normalized == null || origin.contains("*")) {
                    throw new IllegalArgumentException("trustedOrigins: not an origin (scheme://host[:port], no path, "
                            + "no wildcard): '" + origin + "'");
                }
                checked.add(normalized);
            }
            trustedOrigins.addAll(checked);
            return this;
        }

        /** Exempts requests whose path is exactly {@code path}. */
        public Builder exemptPath(String path) {
            return exempt(new PathMatch.Exact(path));
        }

        /** Exempts requests whose path is {@code prefix} or below it ({@code /hooks} covers {@code /hooks/github}, not {@code /hooksx}). */
        public Builder exemptPathPrefix(String prefix) {
            return exempt(new PathMatch.Prefix(prefix));
        }

        /** Exempts requests whose path matches, as a route's path would ({@link PathMatch.Regex}, {@link PathMatch.Template}, ...). */
        public Builder exempt(PathMatch match) {
            exemptions.add(requireNonNull(match, "match"));
            return this;
        }

        public Csrf build() {
            return new Csrf(Set.copyOf(trustedOrigins), List.copyOf(exemptions), null);
        }
    }
}
