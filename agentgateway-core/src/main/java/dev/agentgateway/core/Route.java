package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A named rule that sends matching requests through policies to a {@link Backend}.
 *
 * <pre>{@code
 * Route.builder("users")
 *      .host("api.example.com")
 *      .pathTemplate("/users/{id}")
 *      .method("GET")
 *      .rewritePath(PathRewrite.template("/v2/users/{id}"))
 *      .backend(HttpBackend.of("http://127.0.0.1:8081"))
 *      .build();
 * }</pre>
 *
 * <h2>Which route wins</h2>
 * When several routes match a request, the most specific wins, as in the Kubernetes Gateway API
 * (with Envoy Gateway's ordering for the kinds the API leaves to implementations):
 * <ol>
 * <li>host: an exact host beats a wildcard ({@code *.example.com}; longer suffixes first), which
 *     beats a route with no host condition;</li>
 * <li>path: exact beats template (more literal characters first), template beats regex, regex beats
 *     prefix; among prefixes the longest wins;</li>
 * <li>a route with a method condition beats one without;</li>
 * <li>more header conditions beat fewer, then more query conditions beat fewer;</li>
 * <li>otherwise the route added to the gateway first.</li>
 * </ol>
 * A route without a path condition matches every path, as a prefix {@code /} would.
 */
public final class Route {
    private final String name;
    private final PathMatch pathMatch;
    private final Set<String> methods;
    private final List<String> hosts;
    private final List<ValueMatch> headers;
    private final List<ValueMatch> queryParameters;
    private final List<Policy> policies;
    private final Backend backend;
    private final PathRewrite pathRewrite;
    private final HeaderModifier requestHeaders;
    private final HeaderModifier responseHeaders;
    private final long maxRequestBodySize;

    private Route(Builder builder) {
        this.name = builder.name;
        this.pathMatch = builder.pathMatch == null ? new PathMatch.Prefix("/") : builder.pathMatch;
        this.methods = Set.copyOf(builder.methods);
        this.hosts = List.copyOf(builder.hosts);
        this.headers = List.copyOf(builder.headers);
        this.queryParameters = List.copyOf(builder.queryParameters);
        this.policies = List.copyOf(builder.policies);
        this.backend = builder.backend;
        this.pathRewrite = builder.pathRewrite;
        this.requestHeaders = builder.requestHeaders;
        this.responseHeaders = builder.responseHeaders;
        this.maxRequestBodySize = builder.maxRequestBodySize;
    }

    /** Starts a route; {@code name} identifies it in errors, logs and metrics and must be unique in a gateway. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public PathMatch pathMatch() {
        return pathMatch;
    }

    /** Upper-case methods the route accepts; empty for any. */
    public Set<String> methods() {
        return methods;
    }

    /** Lower-case host names (exact or {@code *.suffix}); empty for any. */
    public List<String> hosts() {
        return hosts;
    }

    public List<ValueMatch> headers() {
        return headers;
    }

    public List<ValueMatch> queryParameters() {
        return queryParameters;
    }

    /** Route-level policies in the order added. */
    public List<Policy> policies() {
        return policies;
    }

    public Backend backend() {
        return backend;
    }

    /** The path rewrite, or {@code null}. */
    public PathRewrite pathRewrite() {
        return pathRewrite;
    }

    /** Changes to request headers, or {@code null}. */
    public HeaderModifier requestHeaders() {
        return requestHeaders;
    }

    /** Changes to response headers, or {@code null}. */
    public HeaderModifier responseHeaders() {
        return responseHeaders;
    }

    /** The request body limit in bytes, or {@code -1} to use the gateway's. */
    public long maxRequestBodySize() {
        return maxRequestBodySize;
    }

    /** Whether {@code other} matches exactly the same requests, so that one of the two can never win. */
    public boolean sameMatchAs(Route other) {
        return pathMatch.equals(other.pathMatch) && methods.equals(other.methods)
                && Set.copyOf(hosts).equals(Set.copyOf(other.hosts))
                && Set.copyOf(headers).equals(Set.copyOf(other.headers))
                && Set.copyOf(queryParameters).equals(Set.copyOf(other.queryParameters));
    }

    @Override
    public String toString() {
        return "Route[" + name + "]";
    }

    /** Builds a {@link Route}; every setter checks its argument at once. */
    public static final class Builder {
        private final String name;
        private PathMatch pathMatch;
        private final Set<String> methods = new LinkedHashSet<>();
        private final List<String> hosts = new ArrayList<>();
        private final List<ValueMatch> headers = new ArrayList<>();
        private final List<ValueMatch> queryParameters = new ArrayList<>();
        private final List<Policy> policies = new ArrayList<>();
        private Backend backend;
        private PathRewrite pathRewrite;
        private HeaderModifier requestHeaders;
        private HeaderModifier responseHeaders;
        private long maxRequestBodySize = -1;

        private Builder(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a route name must not be blank");
            }
            this.name = name;
        }

        /** Matches exactly this path. */
        public Builder path(String path) {
            return pathMatch(new PathMatch.Exact(path));
        }

        /** Matches this path and everything below it. */
        public Builder pathPrefix(String prefix) {
            return pathMatch(new PathMatch.Prefix(prefix));
        }

        /** Matches paths that match {@code regex} as a whole. */
        public Builder pathRegex(String regex) {
            try {
                return pathMatch(PathMatch.Regex.compile(regex));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
            }
        }

        /** Matches a template such as {@code /users/{id}}, capturing segments as path parameters. */
        public Builder pathTemplate(String template) {
            try {
                return pathMatch(PathMatch.Template.parse(template));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
            }
        }

        /** Sets the path condition; a route has at most one. */
        public Builder pathMatch(PathMatch match) {
            requireNonNull(match, "pathMatch");
            if (pathMatch != null) {
                throw new IllegalStateException("route '" + name + "' already matches " + pathMatch + "; a route has one path condition");
            }
            pathMatch = match;
            return this;
        }

        /** Accepts only these methods (any of them). */
        public Builder method(String... methods) {
            for (String method : methods) {
                requireNonNull(method, "method");
                if (!method.matches("[A-Za-z]+")) {
                    throw new IllegalArgumentException("route '" + name + "': not an HTTP method: '" + method + "'");
                }
                this.methods.add(method.toUpperCase(Locale.ROOT));
            }
            return this;
        }

        /** Accepts only these hosts: exact names or wildcards such as {@code *.example.com}. */
        public Builder host(String... hosts) {
            for (String host : hosts) {
                requireNonNull(host, "host");
                String normalized = host.toLowerCase(Locale.ROOT);
                String labels = normalized.startsWith("*.") ? normalized.substring(2) : normalized;
                if (!labels.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
                    throw new IllegalArgumentException("route '" + name + "': not a host name or wildcard: '" + host + "'");
                }
                this.hosts.add(normalized);
            }
            return this;
        }

        /** Requires the header to have exactly this value. */
        public Builder header(String header, String value) {
            headers.add(ValueMatch.exact(header, value));
            return this;
        }

        /** Requires the header to be present. */
        public Builder headerPresent(String header) {
            headers.add(ValueMatch.present(header));
            return this;
        }

        /** Requires the header's value to match {@code regex}. */
        public Builder headerRegex(String header, String regex) {
            try {
                headers.add(ValueMatch.regex(header, regex));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
            }
            return this;
        }

        /** Requires the query parameter to have exactly this value. */
        public Builder queryParameter(String parameter, String value) {
            queryParameters.add(ValueMatch.exact(parameter, value));
            return this;
        }

        /** Requires the query parameter's value to match {@code regex}. */
        public Builder queryParameterRegex(String parameter, String regex) {
            try {
                queryParameters.add(ValueMatch.regex(parameter, regex));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("route '" + name + "': " + e.getMessage(), e);
            }
            return this;
        }

        /** Adds a route-level policy. */
        public Builder policy(Policy policy) {
            policies.add(requireNonNull(policy, "policy"));
            return this;
        }

        /** Sets the backend that serves the route. */
        public Builder backend(Backend backend) {
            this.backend = requireNonNull(backend, "backend");
            return this;
        }

        /** Rewrites the path before the backend sees it. */
        public Builder rewritePath(PathRewrite rewrite) {
            this.pathRewrite = requireNonNull(rewrite, "rewrite");
            return this;
        }

        /** Changes request headers before the backend sees them. */
        public Builder requestHeaders(HeaderModifier modifier) {
            this.requestHeaders = requireNonNull(modifier, "modifier");
            return this;
        }

        /** Changes response headers before the client sees them. */
        public Builder responseHeaders(HeaderModifier modifier) {
            this.responseHeaders = requireNonNull(modifier, "modifier");
            return this;
        }

        /** The largest request body accepted on this route, in bytes (413 beyond); overrides the gateway's. */
        public Builder maxRequestBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("route '" + name + "': maxRequestBodySize must not be negative: " + bytes);
            }
            this.maxRequestBodySize = bytes;
            return this;
        }

        /** Checks the route as a whole and returns it. */
        public Route build() {
            if (backend == null) {
                throw new IllegalStateException("route '" + name + "' has no backend");
            }
            if (pathRewrite instanceof PathRewrite.ReplacePrefix && !(pathMatch instanceof PathMatch.Prefix)) {
                throw new IllegalStateException("route '" + name + "': a prefix rewrite needs a pathPrefix condition");
            }
            if (pathRewrite instanceof PathRewrite.Template template) {
                List<String> captured = pathMatch instanceof PathMatch.Template t ? t.names() : List.of();
                for (String placeholder : template.names()) {
                    if (!captured.contains(placeholder)) {
                        throw new IllegalStateException("route '" + name + "': rewrite template " + template.template()
                                + " uses {" + placeholder + "}, which the path condition does not capture");
                    }
                }
            }
            return new Route(this);
        }
    }
}
