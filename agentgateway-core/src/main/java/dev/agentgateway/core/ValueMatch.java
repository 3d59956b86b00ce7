package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A condition on a request header or query parameter: present, equal to a value, or matching a
 * regular expression. Header names compare case-insensitively, query parameter names exactly.
 *
 * @param name the header or parameter name
 * @param value the exact value, or {@code null}
 * @param pattern the regular expression the whole value must match, or {@code null}
 */
public record ValueMatch(String name, String value, Pattern pattern) {

    public ValueMatch {
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a header or parameter name must not be blank");
        }
    }

    /** The value is present, whatever it is. */
    public static ValueMatch present(String name) {
        return new ValueMatch(name, null, null);
    }

    /** The value equals {@code value}. */
    public static ValueMatch exact(String name, String value) {
        return new ValueMatch(name, requireNonNull(value, "value"), null);
    }

    /** The value matches {@code regex} as a whole. */
    public static ValueMatch regex(String name, String regex) {
        requireNonNull(regex, "regex");
        try {
            return new ValueMatch(name, null, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("regex for '" + name + "' does not compile: " + regex + " (" + e.getDescription() + ")", e);
        }
    }

    /** Whether any of the values present satisfies this condition. */
    public boolean test(List<String> values) {
        if (values == null || values.isEmpty()) {
            return false;
        }
        for (String candidate : values) {
            if (value == null && pattern == null) {
                return true;
            }
            if (value != null && value.equals(candidate)) {
                return true;
            }
            if (pattern != null && pattern.matcher(candidate).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ValueMatch that && name.equalsIgnoreCase(that.name)
                && java.util.Objects.equals(value, that.value)
                && java.util.Objects.equals(pattern == null ? null : pattern.pattern(), that.pattern == null ? null : that.pattern.pattern());
    }

    @Override
    public int hashCode() {
        return name.toLowerCase(java.util.Locale.ROOT).hashCode();
    }
}
