package dev.agentgateway.policy.oauth;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Operation;
import dev.agentgateway.policy.auth.AuthResult;
import dev.agentgateway.policy.auth.Authenticator;
import dev.agentgateway.policy.auth.Challenges;
import dev.agentgateway.policy.auth.JwtAuth;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@link JwtAuth} for one protected resource: a verified token must also name the resource in its
 * {@code aud} (RFC 8707; MCP forbids accepting tokens issued for another server), and the challenge
 * points to the resource's RFC 9728 metadata.
 */
final class ResourceTokenAuth implements Authenticator {
    private final ProtectedResource resource;
    private final Authenticator jwt;

    ResourceTokenAuth(ProtectedResource resource, Authenticator jwt) {
        this.resource = resource;
        this.jwt = jwt;
    }

    @Override
    public String scheme() {
        return jwt.scheme();
    }

    @Override
    public Authenticator bind(GatewayContext gateway) throws Exception {
        return new ResourceTokenAuth(resource, jwt.bind(gateway));
    }

    @Override
    public void close() throws Exception {
        jwt.close();
    }

    @Override
    public AuthResult authenticate(Exchange exchange) throws Exception {
        AuthResult result = jwt.authenticate(exchange);
        if (result instanceof AuthResult.Authenticated accepted
                && !audiences(accepted.principal().claims().get("aud")).contains(resource.resource(exchange).toString())) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Token was not issued for this resource");
        }
        return result;
    }

    @Override
    public String challenge(AuthResult.Rejected rejection) {
        return Challenges.of("Bearer", null, rejection); // only reached without an exchange; Authentication passes one
    }

    @Override
    public String challenge(AuthResult.Rejected rejection, Exchange exchange) {
        Set<String> scopes = new LinkedHashSet<>(resource.requiredScopes(exchange.attribute(Operation.KEY)));
        if (scopes.isEmpty()) {
            scopes.addAll(resource.challengeScopes());
        }
        return Challenges.of("Bearer", null, rejection,
                "resource_metadata", resource.metadataUrl(exchange).toString(),
                "scope", scopes.isEmpty() ? null : String.join(" ", scopes));
    }

    private static Set<String> audiences(Object aud) {
        Set<String> audiences = new LinkedHashSet<>();
        if (aud instanceof String single) {
            audiences.add(single);
        } else if (aud instanceof Collection<?> many) {
            many.forEach(value -> audiences.add(String.valueOf(value)));
        }
        return audiences;
    }
}
