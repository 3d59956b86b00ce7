package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;

/**
 * Adds, sets and removes headers, as the Gateway API's {@code RequestHeaderModifier} and
 * {@code ResponseHeaderModifier} filters do: removals first, then sets (replace), then adds (append).
 *
 * <pre>{@code
 * HeaderModifier.builder().set("X-Env", "prod").add("Via", "agentgateway").remove("X-Debug").build();
 * }</pre>
 */
public final class HeaderModifier {
    private final List<String> remove;
    private final List<String[]> set;
    private final List<String[]> add;

    private HeaderModifier(Builder builder) {
        this.remove = List.copyOf(builder.remove);
        this.set = List.copyOf(builder.set);
        this.add = List.copyOf(builder.add);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Applies the changes to {@code headers}. */
    public void apply(HttpFields.Mutable headers) {
        for (String name : remove) {
            headers.remove(name);
        }
        for (String[] header : set) {
            headers.put(header[0], header[1]);
        }
        for (String[] header : add) {
            headers.add(header[0], header[1]);
        }
    }

    /** Whether this modifier changes nothing. */
    public boolean isEmpty() {
        return remove.isEmpty() && set.isEmpty() && add.isEmpty();
    }

    /** Builds a {@link HeaderModifier}. */
    public static final class Builder {
        private final List<String> remove = new ArrayList<>();
        private final List<String[]> set = new ArrayList<>();
        private final List<String[]> add = new ArrayList<>();

        private Builder() {
        }

        /** Replaces every value of {@code name} with {@code value}. */
        public Builder set(String name, String value) {
            set.add(new String[] {checkName(name), requireNonNull(value, "value")});
            return this;
        }

        /** Appends a value, keeping existing ones. */
        public Builder add(String name, String value) {
            add.add(new String[] {checkName(name), requireNonNull(value, "value")});
            return this;
        }

        /** Removes every value of {@code name}. */
        public Builder remove(String name) {
            remove.add(checkName(name));
            return this;
        }

        public HeaderModifier build() {
            return new HeaderModifier(this);
        }

        private static String checkName(String name) {
            requireNonNull(name, "name");
            if (name.isBlank() || name.chars().anyMatch(c -> c <= ' ' || c == ':' || c > 126)) {
                throw new IllegalArgumentException("not a valid header name: '" + name + "'");
            }
            return name;
        }
    }
}
