package dev.agentgateway.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;

/**
 * The policies of one route in the order they run (phase, then level, then the order added) followed
 * by the backend.
 */
final class PolicyChain {
    private final Policy[] policies;
    private final Backend backend;

    /** A policy with where it was attached, for ordering. */
    record Attached(Policy policy, int level, int order) {
    }

    PolicyChain(List<Attached> attached, Backend backend) {
        List<Attached> sorted = new ArrayList<>(attached);
        sorted.sort(Comparator.<Attached>comparingInt(a -> a.policy().phase().ordinal())
                .thenComparingInt(Attached::level)
                .thenComparingInt(Attached::order));
        this.policies = sorted.stream().map(Attached::policy).toArray(Policy[]::new);
        this.backend = backend;
    }

    Response proceed(Exchange exchange) throws Exception {
        return proceed(exchange, 0);
    }

    private Response proceed(Exchange exchange, int index) throws Exception {
        if (index == policies.length) {
            return backend.handle(exchange);
        }
        Response response = policies[index].apply(exchange, next -> proceed(next, index + 1));
        if (response == null) {
            throw new IllegalStateException("policy " + policies[index].getClass().getName() + " returned no response");
        }
        return response;
    }

    List<Policy> policies() {
        return List.of(policies);
    }
}
