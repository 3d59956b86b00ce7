package dev.agentgateway.mcp.internal;

import java.util.List;

import dev.agentgateway.mcp.PrefixMode;

/**
 * How names look to clients: tools and prompts {@code target_name}, resource URIs and URI templates
 * {@code target+uri}. Target names cannot contain {@code _} or {@code +}, so splitting at the first
 * delimiter recovers the target.
 */
public final class Naming {
    private final List<String> targets;
    private final boolean prefixing;

    public Naming(List<String> targets, PrefixMode mode) {
        this.targets = List.copyOf(targets);
        this.prefixing = switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case CONDITIONAL -> targets.size() > 1;
        };
    }

    /** A target and the name or URI as that target knows it. */
    public record Owned(String target, String name) {
    }

    /** Whether names carry the target. */
    public boolean prefixing() {
        return prefixing;
    }

    /** Whether a name alone cannot tell its target: several targets without prefixes. */
    public boolean needsLookup() {
        return !prefixing && targets.size() > 1;
    }

    public String name(String target, String name) {
        return prefixing ? target + "_" + name : name;
    }

    public String uri(String target, String uri) {
        return prefixing ? target + "+" + uri : uri;
    }

    /** The owner of a tool or prompt name, or {@code null} when it names no target (or a lookup is needed). */
    public Owned resolveName(String name) {
        return resolve(name, '_');
    }

    /** The owner of a resource URI (or template), or {@code null}. */
    public Owned resolveUri(String uri) {
        return resolve(uri, '+');
    }

    private Owned resolve(String value, char delimiter) {
        if (value == null) {
            return null;
        }
        if (!prefixing) {
            return targets.size() == 1 ? new Owned(targets.get(0), value) : null;
        }
        int at = value.indexOf(delimiter);
        if (at <= 0) {
            return null;
        }
        String target = value.substring(0, at);
        return targets.contains(target) ? new Owned(target, value.substring(at + 1)) : null;
    }
}
