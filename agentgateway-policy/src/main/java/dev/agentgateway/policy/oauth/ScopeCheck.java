package dev.agentgateway.policy.oauth;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.policy.auth.AuthResult;
import dev.agentgateway.policy.auth.Challenges;
import java.util.LinkedHashSet;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;

/** Refuses an operation whose scopes the caller's token lacks, with the RFC 6750 challenge MCP clients step up on. */
final class ScopeCheck implements Policy {
    static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    private final ProtectedResource resource;

    ScopeCheck(ProtectedResource resource) {
        this.resource = resource;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZATION;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        Operation operation = exchange.attribute(Operation.KEY);
        Set<String> needed = resource.requiredScopes(operation);
        Set<String> granted = Scopes.of(exchange.principal());
        if (granted.containsAll(needed)) {
            return next.proceed(exchange);
        }
        Set<String> missing = new LinkedHashSet<>(needed);
        missing.removeAll(granted);
        Set<String> asked = new LinkedHashSet<>();
        if (resource.repeatGrantedScopes()) {
            granted.stream().filter(resource.scopesSupported()::contains).forEach(asked::add);
        }
        asked.addAll(needed);
        String description = operation.action() + (operation.resourceId().isEmpty() ? "" : " " + operation.resourceId())
                + " needs scope " + String.join(" ", missing);
        Response response = exchange.errorResponse(new GatewayException(403, INSUFFICIENT_SCOPE, description));
        response.headers().add(HttpHeader.WWW_AUTHENTICATE, Challenges.of("Bearer", null,
                new AuthResult.Rejected(INSUFFICIENT_SCOPE, description),
                "scope", String.join(" ", asked), "resource_metadata", resource.metadataUrl(exchange).toString()));
        return response;
    }
}
