package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * The authenticated caller of an exchange, set by an authentication policy and read by
 * authorization, rate limits, protocol modules (for example to bind a task to its creator) and logs.
 *
 * @param subject the caller's identifier ({@code sub} of a JWT, the name of an API key, a user name)
 * @param scheme how the caller authenticated, for example {@code "jwt"}, {@code "api-key"}, {@code "basic"}
 * @param roles groups or roles the caller holds (may be empty)
 * @param claims further facts about the caller, such as JWT claims (may be empty)
 */
public record Principal(String subject, String scheme, Set<String> roles, Map<String, Object> claims) {

    /** The exchange attribute under which authentication policies store the principal. */
    public static final AttributeKey<Principal> KEY = AttributeKey.of("principal", Principal.class);

    public Principal {
        requireNonNull(subject, "subject");
        requireNonNull(scheme, "scheme");
        roles = Set.copyOf(requireNonNull(roles, "roles"));
        claims = Map.copyOf(requireNonNull(claims, "claims"));
    }

    /** A principal with no roles and no claims. */
    public static Principal of(String subject, String scheme) {
        return new Principal(subject, scheme, Set.of(), Map.of());
    }
}
