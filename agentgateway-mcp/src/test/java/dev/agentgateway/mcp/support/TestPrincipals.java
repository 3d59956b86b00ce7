package dev.agentgateway.mcp.support;

import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;

/** Stands in for authentication in tests: the {@code X-Test-User} header names the caller; without it the caller is anonymous. */
public final class TestPrincipals {
    public static final String HEADER = "X-Test-User";

    private TestPrincipals() {
    }

    public static Policy fromHeader() {
        return (exchange, next) -> {
            String user = exchange.requestHeaders().get(HEADER);
            if (user != null) {
                exchange.attribute(Principal.KEY, Principal.of(user, "test"));
            }
            return next.proceed(exchange);
        };
    }
}
