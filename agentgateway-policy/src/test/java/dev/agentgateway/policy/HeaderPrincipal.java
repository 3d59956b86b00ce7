package dev.agentgateway.policy;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import java.util.Map;
import java.util.Set;

/** A principal taken from request headers, for tests of what policies do with one. */
public final class HeaderPrincipal {
    private HeaderPrincipal() {
    }

    /**
     * {@code X-User: alice}, {@code X-Roles: dev,ops}, {@code X-Tenant: acme} (a {@code tenant} claim),
     * {@code X-Scheme: api-key}; no {@code X-User}: anonymous.
     */
    public static Policy policy() {
        return new Policy() {
            @Override
            public Response apply(Exchange exchange, Chain next) throws Exception {
                String user = exchange.requestHeaders().get("X-User");
                if (user != null) {
                    String roles = exchange.requestHeaders().get("X-Roles");
                    String tenant = exchange.requestHeaders().get("X-Tenant");
                    exchange.attribute(Principal.KEY, new Principal(user, exchange.requestHeaders().get("X-Scheme") != null
                            ? exchange.requestHeaders().get("X-Scheme") : "jwt",
                            roles == null ? Set.of() : Set.of(roles.split(",")),
                            tenant == null ? Map.of() : Map.of("tenant", tenant, "scope", "tools:read tools:call")));
                }
                return next.proceed(exchange);
            }

            @Override
            public Phase phase() {
                return Phase.AUTHENTICATION;
            }
        };
    }
}
