package dev.agentgateway.policy.oauth;

import dev.agentgateway.core.Principal;
import dev.agentgateway.policy.auth.internal.ClaimPaths;
import java.util.LinkedHashSet;
import java.util.Set;

/** The OAuth scopes a principal holds: {@code scope} (RFC 9068, RFC 8693: space-separated) and {@code scp} (an array, as Entra and Okta issue it, or a string). */
final class Scopes {
    private Scopes() {
    }

    static Set<String> of(Principal principal) {
        Set<String> scopes = new LinkedHashSet<>();
        if (principal != null) {
            scopes.addAll(ClaimPaths.strings(principal.claims(), "scope"));
            scopes.addAll(ClaimPaths.strings(principal.claims(), "scp"));
        }
        return scopes;
    }
}
