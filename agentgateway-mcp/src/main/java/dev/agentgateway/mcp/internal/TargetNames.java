package dev.agentgateway.mcp.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks what targets are built from. Names become URI schemes ({@code name+uri}) and tool prefixes
 * ({@code name_tool}); HTTP targets also need an absolute http(s) URI.
 */
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

    /** Returns {@code uri} if it is an absolute http(s) URI, else throws naming the target. */
    public static URI httpUri(String name, URI uri) {
        requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("target '" + name + "': uri must be an absolute http(s) URI: " + uri);
        }
        return uri;
    }

    /** {@code headers} with {@code header} set to {@code value}, in a new map. */
    public static Map<String, String> withHeader(Map<String, String> headers, String header, String value) {
        requireNonNull(header, "header");
        requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(header, value);
        return copy;
    }
}
