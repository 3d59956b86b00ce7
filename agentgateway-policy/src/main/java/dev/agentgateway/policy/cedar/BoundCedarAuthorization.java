package dev.agentgateway.policy.cedar;

import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import java.time.Clock;
import java.util.Set;

/** {@link CedarAuthorization} serving one gateway. */
final class BoundCedarAuthorization implements Policy {
    /** Resources a caller may not know of: denied, they are answered as missing. */
    private static final Set<String> HIDDEN_TYPES = Set.of("Tool", "Prompt", "Resource", "Model", "Task");

    private final PolicySource source;
    private final Decisions decisions;
    private final DecisionLog log;
    private final Clock clock;
    private final GroupHierarchy groups;

    BoundCedarAuthorization(PolicySource source, Decisions decisions, DecisionLog log, Clock clock, GroupHierarchy groups) {
        this.source = source;
        this.decisions = decisions;
        this.log = log;
        this.clock = clock;
        this.groups = groups;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZATION;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        RequestFacts facts = RequestFacts.of(exchange, clock.instant(), groups);
        Authorizer earlier = exchange.attribute(Authorizer.KEY);
        Authorizer items = (ignored, operation) -> allowsItem(facts, operation);
        exchange.attribute(Authorizer.KEY, earlier == null ? items
                : (ex, operation) -> earlier.allows(ex, operation) && items.allows(ex, operation));
        Operation operation = Operation.of(exchange);
        if (operation.resourceId().isEmpty()) {
            return next.proceed(exchange); // a list or session plumbing: the module filters per item
        }
        Decisions.Decision decision = decisions.decide(facts, operation);
        log.record(operation, facts, decision, false);
        if (decision.allowed()) {
            return next.proceed(exchange);
        }
        String what = operation.resourceType() + " '" + operation.resourceId() + "'";
        return exchange.errorResponse(HIDDEN_TYPES.contains(operation.resourceType())
                ? GatewayException.hidden(what + " does not exist")
                : GatewayException.forbidden("Not allowed: " + CedarRequest.action(operation) + " on " + what));
    }

    private boolean allowsItem(RequestFacts facts, Operation operation) {
        Decisions.Decision decision = decisions.decide(facts, operation);
        log.record(operation, facts, decision, true);
        return decision.allowed();
    }

    @Override
    public void close() {
        source.close();
    }
}
