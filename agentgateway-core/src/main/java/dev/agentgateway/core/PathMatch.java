package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a {@link Route} matches the request path. Paths are compared after percent-decoding and
 * removal of dot segments, so {@code /a/%2E%2E/b} is seen as {@code /b}.
 *
 * <ul>
 * <li>{@link Exact}: the path equals the value.</li>
 * <li>{@link Prefix}: the path starts with the value at a segment boundary ({@code /api} matches
 *     {@code /api} and {@code /api/x}, not {@code /apix}).</li>
 * <li>{@link Regex}: the whole path matches a regular expression.</li>
 * <li>{@link Template}: segments such as {@code /users/{id}/orders/{orderId}} are captured by name;
 *     a final {@code {*rest}} captures the remainder including slashes.</li>
 * </ul>
 */
public sealed interface PathMatch {

    /**
     * Returns the captured path parameters when {@code path} matches (empty for kinds that capture
     * nothing), or {@code null} when it does not.
     */
    Map<String, String> match(String path);

    /** Exact match. */
    record Exact(String path) implements PathMatch {
        public Exact {
            checkPath(path);
        }

        @Override
        public Map<String, String> match(String candidate) {
            return path.equals(candidate) ? Map.of() : null;
        }
    }

    /** Segment-wise prefix match; a trailing slash on the prefix is ignored. */
    record Prefix(String prefix) implements PathMatch {
        public Prefix {
            checkPath(prefix);
            while (prefix.length() > 1 && prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
        }

        @Override
        public Map<String, String> match(String candidate) {
            if (prefix.equals("/")) {
                return candidate.startsWith("/") ? Map.of() : null;
            }
            if (!candidate.startsWith(prefix)) {
                return null;
            }
            return candidate.length() == prefix.length() || candidate.charAt(prefix.length()) == '/' ? Map.of() : null;
        }
    }

    /** Whole-path regular expression. */
    record Regex(Pattern pattern) implements PathMatch {
        public Regex {
            requireNonNull(pattern, "pattern");
        }

        /** Compiles {@code regex}, failing with a message that names it. */
        public static Regex compile(String regex) {
            requireNonNull(regex, "regex");
            try {
                return new Regex(Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("path regex does not compile: " + regex + " (" + e.getDescription() + ")", e);
            }
        }

        @Override
        public Map<String, String> match(String candidate) {
            return pattern.matcher(candidate).matches() ? Map.of() : null;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Regex that && pattern.pattern().equals(that.pattern.pattern());
        }

        @Override
        public int hashCode() {
            return pattern.pattern().hashCode();
        }
    }

    /** Path template with named captures. */
    record Template(String template, Pattern pattern, List<String> names, int literalLength) implements PathMatch {
        public Template {
            requireNonNull(template, "template");
            requireNonNull(pattern, "pattern");
            names = List.copyOf(names);
        }

        /**
         * Parses a template such as {@code /users/{id}/files/{*path}}. A placeholder takes a whole
         * segment; only the last one may be a {@code {*name}} capture of the remainder.
         */
        public static Template parse(String template) {
            checkPath(template);
            StringBuilder regex = new StringBuilder();
            List<String> names = new ArrayList<>();
            int literal = 0;
            String[] segments = template.substring(1).split("/", -1);
            for (int i = 0; i < segments.length; i++) {
                String segment = segments[i];
                regex.append('/');
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    String name = segment.substring(1, segment.length() - 1);
                    boolean rest = name.startsWith("*");
                    if (rest) {
                        name = name.substring(1);
                        if (i != segments.length - 1) {
                            throw new IllegalArgumentException("path template " + template + ": {*" + name + "} must be the last segment");
                        }
                    }
                    if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                        throw new IllegalArgumentException("path template " + template + ": bad parameter name '" + name + "'");
                    }
                    if (names.contains(name)) {
                        throw new IllegalArgumentException("path template " + template + ": parameter '" + name + "' appears twice");
                    }
                    regex.append(rest ? "(.*)" : "([^/]+)");
                    names.add(name);
                } else if (segment.contains("{") || segment.contains("}")) {
                    throw new IllegalArgumentException("path template " + template + ": a placeholder must take a whole segment: '" + segment + "'");
                } else {
                    regex.append(Pattern.quote(segment));
                    literal += segment.length() + 1;
                }
            }
            return new Template(template, Pattern.compile(regex.toString()), names, literal);
        }

        @Override
        public Map<String, String> match(String candidate) {
            Matcher matcher = pattern.matcher(candidate);
            if (!matcher.matches()) {
                return null;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                parameters.put(names.get(i), matcher.group(i + 1));
            }
            return parameters;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Template that && template.equals(that.template);
        }

        @Override
        public int hashCode() {
            return template.hashCode();
        }
    }

    private static void checkPath(String path) {
        requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a path must start with '/': '" + path + "'");
        }
    }
}
