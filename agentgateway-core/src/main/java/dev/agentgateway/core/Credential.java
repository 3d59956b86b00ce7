package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

/**
 * A credential a client presented and an authentication policy accepted: kept on the exchange so
 * that an upstream credential strategy can pass it through or exchange it (RFC 8693), after the
 * policy has removed it from the request that is forwarded.
 *
 * <p>{@link #toString()} never shows the value, so a credential cannot leak into a log line.
 *
 * @param type how it was presented, for example {@code "bearer"}, {@code "api-key"}, {@code "basic"}
 * @param value the credential itself: the token, the key, or {@code user:password}
 */
public record Credential(String type, String value) {

    /** The exchange attribute under which authentication policies store the accepted credential. */
    public static final AttributeKey<Credential> KEY = AttributeKey.of("credential", Credential.class);

    public Credential {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
    }

    /** A bearer token, such as a JWT. */
    public static Credential bearer(String token) {
        return new Credential("bearer", token);
    }

    /** Whether this is a bearer token. */
    public boolean isBearer() {
        return type.equals("bearer");
    }

    @Override
    public String toString() {
        return "Credential[" + type + ", " + value.length() + " characters]";
    }
}
