package dev.agentgateway.policy.cedar;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.policy.PolicySet;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Asks Cedar, and remembers the answers. A decision depends only on the policy version, the principal,
 * the operation's action and resource (with the facts that make its parents) and the context values
 * the policies read (see {@link ContextReferences}); the cache is keyed on exactly those, so a cached
 * answer is the answer Cedar would give. That makes a {@code tools/list} of 100 tools one Cedar call per
 * tool the first time a caller lists, and a map lookup per tool after that.
 *
 * <p>Fail closed: a Cedar error (a policy that reads a missing attribute, a value Cedar refuses) denies
 * when it is in a {@code forbid} (Cedar itself would skip that policy, and allow); a failing
 * {@code permit} simply permits nothing, as in Cedar.
 */
final class Decisions {
    /** Cedar's answer: allowed or not, the policies that decided, the errors met on the way. */
    record Decision(boolean allowed, Set<String> reasons, List<String> errors) {
    }

    private record Key(long version, Principal principal, String action, String resourceType, String resourceId,
                       String route, Map<String, Object> facts) {
    }

    /**
     * Cedar's answer, known without asking, when no permit's head matches: deny. The forbids that would
     * also have matched are not named (the log says "none permits"): asking Cedar just to name them
     * would cost a call for most items of a filtered list.
     */
    private static final Decision NO_PERMIT_MATCHES = new Decision(false, Set.of(), List.of());

    private final BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
    private final Supplier<CompiledPolicies> policies;
    private final Cache<Key, Decision> cache;

    Decisions(Supplier<CompiledPolicies> policies, long cacheSize, Duration cacheTtl) {
        this.policies = policies;
        this.cache = cacheSize == 0 ? null
                : CacheBuilder.newBuilder().maximumSize(cacheSize).expireAfterWrite(cacheTtl).build();
    }

    Decision decide(RequestFacts facts, Operation operation) {
        CompiledPolicies current = policies.get();
        if (cache == null) {
            return evaluate(current, facts, operation);
        }
        Key key = key(current, facts, operation);
        Decision cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached;
        }
        Decision decision = evaluate(current, facts, operation);
        cache.put(key, decision);
        return decision;
    }

    private Decision evaluate(CompiledPolicies current, RequestFacts facts, Operation operation) {
        try {
            CedarRequest request = CedarRequest.of(facts, operation, current.context());
            PolicySet applicable = current.applicableTo(request);
            if (applicable == null) {
                return NO_PERMIT_MATCHES;
            }
            AuthorizationResponse response = engine.isAuthorized(new AuthorizationRequest(
                    facts.principalEntity.getEUID(), request.action(), request.resource(), request.context()),
                    applicable, request.entities());
            if (response.success.isEmpty()) {
                return new Decision(false, Set.of(), List.of(String.valueOf(response.errors.orElse(null))));
            }
            AuthorizationSuccessResponse success = response.success.get();
            List<String> errors = new ArrayList<>();
            boolean forbidFailed = false;
            for (AuthorizationSuccessResponse.AuthorizationError error : success.getErrors()) {
                errors.add(error.toString());
                forbidFailed |= current.forbids().contains(error.getPolicyId());
            }
            // Cedar skips a policy that fails: for a forbid that would allow what it meant to deny
            return new Decision(success.isAllowed() && !forbidFailed, Set.copyOf(success.getReason()), List.copyOf(errors));
        } catch (Exception e) { // an entity id or value Cedar refuses, a native failure: deny
            return new Decision(false, Set.of(), List.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static Key key(CompiledPolicies current, RequestFacts facts, Operation operation) {
        ContextReferences reads = current.context();
        Map<String, Object> values = new HashMap<>();
        Map<String, Object> given = operation.context();
        for (String parent : new String[] {"target", "name", "owner", "agent"}) { // make resource parents and attributes
            Object value = given.get(parent);
            if (value != null) {
                values.put("op." + parent, value);
            }
        }
        values.put("protocol", operation.protocol());
        if (reads.reads("request")) {
            values.put("request", facts.requestKey);
        }
        if (reads.reads("client_ip")) {
            values.put("client_ip", facts.clientIp);
        }
        if (reads.reads("now")) {
            values.put("now", facts.now);
        }
        if (reads.reads("method") && !given.containsKey("method")) {
            values.put("method", facts.httpMethod);
        }
        given.forEach((name, value) -> {
            if (reads.reads(name)) {
                values.put(name, value);
            }
        });
        return new Key(current.version(), facts.principal, operation.action(), operation.resourceType(),
                operation.resourceId(), facts.routeName, values);
    }

    void clear() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }
}
