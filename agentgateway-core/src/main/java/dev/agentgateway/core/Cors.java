package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Cross-origin resource sharing, as the Gateway API's {@code CORS} filter: answers preflight requests
 * itself (before authentication, which preflights cannot carry) and adds the CORS headers to responses
 * for allowed origins. Requests from other origins pass without CORS headers, so browsers block them.
 *
 * <pre>{@code
 * Cors.builder()
 *     .allowOrigin("https://app.example.com")
 *     .allowOrigin("https://*.example.dev")
 *     .allowMethods("GET", "POST")
 *     .allowHeaders("Authorization", "Content-Type", "Mcp-Session-Id")
 *     .exposeHeaders("Mcp-Session-Id")
 *     .allowCredentials(true)
 *     .maxAge(Duration.ofMinutes(10))
 *     .build();
 * }</pre>
 */
public final class Cors implements Policy {
    private final List<Pattern> origins;
    private final boolean anyOrigin;
    private final List<String> methods;
    private final Set<String> headers;
    private final boolean anyHeader;
    private final String exposeHeaders;
    private final boolean allowCredentials;
    private final Duration maxAge;

    private Cors(Builder builder) {
        this.origins = List.copyOf(builder.origins);
        this.anyOrigin = builder.anyOrigin;
        this.methods = List.copyOf(builder.methods);
        this.headers = Set.copyOf(builder.headers);
        this.anyHeader = builder.anyHeader;
        this.exposeHeaders = String.join(", ", builder.exposeHeaders);
        this.allowCredentials = builder.allowCredentials;
        this.maxAge = builder.maxAge;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.PREFLIGHT;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        HttpFields request = exchange.requestHeaders();
        String origin = request.get(HttpHeader.ORIGIN);
        if (origin == null) {
            return next.proceed(exchange);
        }
        boolean allowed = originAllowed(origin);
        String requestedMethod = request.get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD);
        if ("OPTIONS".equals(exchange.method()) && requestedMethod != null) {
            return preflight(origin, allowed, requestedMethod, request.get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS));
        }
        Response response = next.proceed(exchange);
        HttpFields.Mutable out = response.headers();
        out.add(HttpHeader.VARY, "Origin");
        if (allowed) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowOriginValue(origin));
            if (allowCredentials) {
                out.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
            if (!exposeHeaders.isEmpty()) {
                out.put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
            }
        }
        return response;
    }

    private Response preflight(String origin, boolean allowed, String method, String requestedHeaders) {
        List<String> asked = requestedHeaders == null ? List.of()
                : List.of(requestedHeaders.split("\\s*,\\s*")).stream().filter(h -> !h.isBlank()).toList();
        boolean methodAllowed = methods.contains(method.toUpperCase(Locale.ROOT));
        boolean headersAllowed = anyHeader || asked.stream().allMatch(h -> headers.contains(h.toLowerCase(Locale.ROOT)));
        if (!allowed || !methodAllowed || !headersAllowed) {
            String reason = !allowed ? "origin " + origin + " is not allowed"
                    : !methodAllowed ? "method " + method + " is not allowed" : "a requested header is not allowed";
            return Response.json(403, "{\"error\":{\"code\":\"cors_rejected\",\"message\":\"CORS preflight rejected: "
                    + reason.replace("\"", "'") + "\"}}").header("Vary", "Origin");
        }
        Response response = Response.of(204);
        HttpFields.Mutable out = response.headers();
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, allowOriginValue(origin));
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", methods));
        if (!asked.isEmpty()) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", asked));
        }
        if (allowCredentials) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        if (maxAge != null) {
            out.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, Long.toString(maxAge.toSeconds()));
        }
        out.add(HttpHeader.VARY, "Origin");
        return response;
    }

    private String allowOriginValue(String origin) {
        return anyOrigin && !allowCredentials ? "*" : origin;
    }

    private boolean originAllowed(String origin) {
        if (anyOrigin) {
            return true;
        }
        for (Pattern pattern : origins) {
            if (pattern.matcher(origin).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Builds a {@link Cors} policy; nothing is allowed until configured. */
    public static final class Builder {
        private final List<Pattern> origins = new ArrayList<>();
        private boolean anyOrigin;
        private final Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD", "POST"));
        private final Set<String> headers = new LinkedHashSet<>();
        private boolean anyHeader;
        private final Set<String> exposeHeaders = new LinkedHashSet<>();
        private boolean allowCredentials;
        private Duration maxAge;

        private Builder() {
        }

        /**
         * Allows an origin such as {@code https://app.example.com}; {@code *} in the host stands for one
         * or more labels ({@code https://*.example.com}); {@code "*"} alone allows every origin.
         */
        public Builder allowOrigin(String origin) {
            requireNonNull(origin, "origin");
            if (origin.equals("*")) {
                anyOrigin = true;
                return this;
            }
            if (!origin.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+")) {
                throw new IllegalArgumentException("not an origin (scheme://host[:port]): '" + origin + "'");
            }
            String regex = Pattern.quote(origin.toLowerCase(Locale.ROOT)).replace("*", "\\E[^/]+\\Q");
            origins.add(Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
            return this;
        }

        /** The methods allowed (default GET, HEAD, POST). */
        public Builder allowMethods(String... methods) {
            this.methods.clear();
            for (String method : methods) {
                this.methods.add(requireNonNull(method, "method").toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** Request headers allowed beyond the CORS-safelisted ones; {@code "*"} allows any. */
        public Builder allowHeaders(String... headers) {
            for (String header : headers) {
                if ("*".equals(header)) {
                    anyHeader = true;
                } else {
                    this.headers.add(requireNonNull(header, "header").toLowerCase(Locale.ROOT));
                }
            }
            return this;
        }

        /** Response headers scripts may read. */
        public Builder exposeHeaders(String... headers) {
            for (String header : headers) {
                exposeHeaders.add(requireNonNull(header, "header"));
            }
            return this;
        }

        /** Whether cookies and credentials may be sent; the allowed origin is then echoed, never {@code *}. */
        public Builder allowCredentials(boolean allow) {
            this.allowCredentials = allow;
            return this;
        }

        /** How long browsers may cache a preflight answer. */
        public Builder maxAge(Duration maxAge) {
            Checks.notNegative(maxAge, "maxAge");
            this.maxAge = maxAge;
            return this;
        }

        public Cors build() {
            if (!anyOrigin && origins.isEmpty()) {
                throw new IllegalStateException("CORS policy allows no origin: call allowOrigin(...)");
            }
            return new Cors(this);
        }
    }
}
