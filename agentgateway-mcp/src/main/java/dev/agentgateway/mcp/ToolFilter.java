package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which tools a route exposes, by name as the client sees it (with the target prefix, e.g.
 * {@code github_search}): a tool is visible if it matches an allow pattern (or there are none) and no
 * deny pattern. Patterns are globs: {@code *} matches any run of characters, {@code ?} one character.
 * Hidden tools disappear from {@code tools/list}, and calling one is answered like an unknown tool
 * ({@code -32602}), so probing reveals nothing.
 *
 * <pre>{@code
 * ToolFilter.allow("github_*").deny("*_delete*");
 * }</pre>
 *
 * @param allowed allow patterns (empty: everything is allowed unless denied)
 * @param denied deny patterns
 */
public record ToolFilter(List<String> allowed, List<String> denied) {

    /** Exposes every tool. */
    public static final ToolFilter ALL = new ToolFilter(List.of(), List.of());

    public ToolFilter {
        allowed = List.copyOf(requireNonNull(allowed, "allowed"));
        denied = List.copyOf(requireNonNull(denied, "denied"));
        for (String pattern : allowed) {
            check(pattern);
        }
        for (String pattern : denied) {
            check(pattern);
        }
    }

    /** Exposes only tools matching one of these patterns. */
    public static ToolFilter allow(String... patterns) {
        return new ToolFilter(List.of(patterns), List.of());
    }

    /** Hides tools matching one of these patterns. */
    public static ToolFilter denyOnly(String... patterns) {
        return new ToolFilter(List.of(), List.of(patterns));
    }

    /** This filter, also hiding tools matching one of these patterns. */
    public ToolFilter deny(String... patterns) {
        List<String> more = new ArrayList<>(denied);
        more.addAll(List.of(patterns));
        return new ToolFilter(allowed, more);
    }

    /** Whether the tool named {@code name} is exposed. */
    public boolean permits(String name) {
        requireNonNull(name, "name");
        boolean allow = allowed.isEmpty() || allowed.stream().anyMatch(p -> glob(p).matcher(name).matches());
        return allow && denied.stream().noneMatch(p -> glob(p).matcher(name).matches());
    }

    private static void check(String pattern) {
        requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("a tool filter pattern must not be empty");
        }
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
