package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

/**
 * A typed key for a value carried on an {@link Exchange}. Keys compare by identity, so two modules
 * that both name a key {@code "tool"} never overwrite each other; share a key by sharing the constant.
 *
 * <pre>{@code
 * static final AttributeKey<String> TENANT = AttributeKey.of("tenant", String.class);
 * exchange.attribute(TENANT, "acme");
 * String tenant = exchange.attribute(TENANT);  // "acme"
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = requireNonNull(name, "name");
        this.type = requireNonNull(type, "type");
    }

    /** Creates a new key; keep it in a {@code static final} field and share that. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    /** The name, for logs and diagnostics only. */
    public String name() {
        return name;
    }

    /** The type of the values stored under this key. */
    public Class<T> type() {
        return type;
    }

    /** Checks and casts a stored value. */
    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
