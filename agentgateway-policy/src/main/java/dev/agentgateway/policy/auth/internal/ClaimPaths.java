package dev.agentgateway.policy.auth.internal;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads values at dotted claim paths such as {@code realm_access.roles}, for roles and scopes. */
public final class ClaimPaths {
    private ClaimPaths() {
    }

    /** The strings at {@code path}: array elements, or the words of a space-separated string ({@code scope}). */
    public static Set<String> strings(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return Set.of();
            }
            value = map.get(part);
        }
        Set<String> values = new LinkedHashSet<>();
        if (value instanceof String text) {
            for (String word : text.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    values.add(word);
                }
            }
        } else if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof String text && !text.isEmpty()) {
                    values.add(text);
                }
            }
        }
        return values;
    }
}
