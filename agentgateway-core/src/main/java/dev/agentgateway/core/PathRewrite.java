package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How a route changes the path before the backend sees it, as in the Kubernetes Gateway API's
 * {@code URLRewrite} filter. The query string is kept.
 *
 * <pre>{@code
 * Route.builder("api").pathPrefix("/api").rewritePath(PathRewrite.stripPrefix())       // /api/users -> /users
 * Route.builder("v1").pathPrefix("/v1").rewritePath(PathRewrite.replacePrefix("/v2"))  // /v1/x -> /v2/x
 * Route.builder("u").pathTemplate("/users/{id}").rewritePath(PathRewrite.template("/people/{id}/profile"))
 * }</pre>
 */
public sealed interface PathRewrite {

    /** Removes the route's path prefix: {@code /api/users} under prefix {@code /api} becomes {@code /users}. */
    static PathRewrite stripPrefix() {
        return new ReplacePrefix("");
    }

    /** Replaces the route's path prefix with {@code replacement}. */
    static PathRewrite replacePrefix(String replacement) {
        return new ReplacePrefix(replacement);
    }

    /** Replaces the whole path. */
    static PathRewrite replaceFull(String path) {
        return new ReplaceFull(path);
    }

    /**
     * Builds the path from a template whose {@code {name}} placeholders take the segments the route's
     * path template captured ({@code {*name}} captures can be used the same way).
     */
    static PathRewrite template(String template) {
        return new Template(template);
    }

    /** Computes the new raw path. */
    String apply(Exchange exchange);

    /** Replace the matched prefix. */
    record ReplacePrefix(String replacement) implements PathRewrite {
        public ReplacePrefix {
            requireNonNull(replacement, "replacement");
            if (!replacement.isEmpty() && !replacement.startsWith("/")) {
                throw new IllegalArgumentException("a replacement prefix must start with '/': " + replacement);
            }
            if (replacement.endsWith("/")) {
                replacement = replacement.substring(0, replacement.length() - 1);
            }
        }

        @Override
        public String apply(Exchange exchange) {
            String rest = exchange.pathWithinRoute();
            String path = replacement + rest;
            return path.isEmpty() ? "/" : path;
        }
    }

    /** Replace the whole path. */
    record ReplaceFull(String path) implements PathRewrite {
        public ReplaceFull {
            requireNonNull(path, "path");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a path must start with '/': " + path);
            }
        }

        @Override
        public String apply(Exchange exchange) {
            return path;
        }
    }

    /** Substitute captured path parameters into a template. */
    record Template(String template) implements PathRewrite {
        public Template {
            requireNonNull(template, "template");
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("a path template must start with '/': " + template);
            }
        }

        @Override
        public String apply(Exchange exchange) {
            Map<String, String> parameters = exchange.pathParameters();
            StringBuilder out = new StringBuilder(template.length() + 32);
            int i = 0;
            while (i < template.length()) {
                int open = template.indexOf('{', i);
                if (open < 0) {
                    out.append(template, i, template.length());
                    break;
                }
                int close = template.indexOf('}', open);
                if (close < 0) {
                    throw new IllegalStateException("unclosed '{' in path template " + template);
                }
                out.append(template, i, open);
                String name = template.substring(open + 1, close);
                if (name.startsWith("*")) {
                    name = name.substring(1);
                }
                String value = parameters.get(name);
                if (value == null) {
                    throw new IllegalStateException("path template " + template + " names {" + name
                            + "}, which route '" + exchange.route().name() + "' does not capture");
                }
                out.append(value);
                i = close + 1;
            }
            return out.toString();
        }

        /** The names of the placeholders, for validation when the route is built. */
        java.util.List<String> names() {
            java.util.List<String> names = new java.util.ArrayList<>();
            int i = 0;
            while ((i = template.indexOf('{', i)) >= 0) {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '{' in path template " + template);
                }
                String name = template.substring(i + 1, close);
                names.add(name.startsWith("*") ? name.substring(1) : name);
                i = close + 1;
            }
            return names;
        }
    }
}
