package dev.agentgateway.mcp.internal;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** Checks target names: they become URI schemes ({@code name+uri}) and tool prefixes ({@code name_tool}). */
public final class TargetNames {
    private static final Pattern VALID = Pattern.compile("[A-Za-z][A-Za-z0-9.-]{0,63}");

    private TargetNames() {
    }

    /** Returns {@code name} if it is a valid target name, else throws naming the rule. */
    public static String check(String name) {
        requireNonNull(name, "name");
        if (!VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("target name '" + name + "' must start with a letter and contain only "
                    + "letters, digits, '-' and '.' (at most 64 characters; '_' and '+' are reserved delimiters)");
        }
        return name;
    }

    /** Checks a positive duration. */
    public static java.time.Duration positive(java.time.Duration value, String field) {
        requireNonNull(value, field);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive: " + value);
        }
        return value;
    }
}
