package dev.agentgateway.policy.oauth;

import dev.agentgateway.core.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** The OAuth scopes a principal holds: {@code scope} (RFC 9068, RFC 8693: space-separated) and {@code scp} (an array, as Entra and Okta issue it, or a string). */
final class Scopes {
    private Scopes() {
    }

    static Set<String> of(Principal principal) {
        Set<String> scopes = new LinkedHashSet<>();
        if (principal != null) {
            add(scopes, principal.claims().get("scope"));
            add(scopes, principal.claims().get("scp"));
        }
        return scopes;
    }

    private static void add(Set<String> scopes, Object claim) {
        if (claim instanceof String value) {
            for (String scope : value.trim().split("\\s+")) {
                if (!scope.isEmpty()) {
                    scopes.add(scope);
                }
            }
        } else if (claim instanceof Collection<?> values) {
            values.forEach(value -> add(scopes, value));
        }
    }
}
