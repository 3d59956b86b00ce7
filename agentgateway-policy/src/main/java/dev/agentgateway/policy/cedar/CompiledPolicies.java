package dev.agentgateway.policy.cedar;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.DetailedError;
import com.cedarpolicy.model.ValidationRequest;
import com.cedarpolicy.model.ValidationResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.exception.CacheException;
import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.model.schema.Schema;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One validated version of the policy set, with what the decision cache needs to know about it: which
 * context attributes its policies read ({@link ContextReferences}).
 *
 * @param version increases with every successful load, so that cached decisions of an older set are never used
 */
record CompiledPolicies(PolicySet policySet, long version, int size, ContextReferences context,
                        List<Policy> policies, List<PolicyScope> scopes, Set<String> forbids,
                        ConcurrentMap<BitSet, PolicySet> subsets) {
    private static final Logger LOG = LoggerFactory.getLogger(CompiledPolicies.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Subsets kept per version. Cedar's native cache of preparsed sets is process-wide (1,024 by
     * default, and full means refused), so only the first few subsets are preparsed; the rest are
     * passed as text, which is slower but still far cheaper than the whole set.
     */
    private static final int MAX_SUBSETS = 512;
    private static final int MAX_PREPARSED_SUBSETS = 256;

    /**
     * Parses every source, gives each policy an id naming its source ({@code file.cedar#0}, or its
     * {@code @id} annotation), and validates the set against the schema.
     *
     * @throws IllegalArgumentException with Cedar's messages when a source does not parse or the set
     *         does not validate
     */
    static CompiledPolicies compile(Map<String, String> sources, Schema schema, long version, List<String> warnings) {
        Set<Policy> policies = new LinkedHashSet<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            PolicySet parsed;
            try {
                parsed = PolicySet.parsePolicies(source.getValue());
            } catch (InternalException e) {
                throw new IllegalArgumentException(source.getKey() + " does not parse: " + String.join("; ", e.getErrors()), e);
            }
            if (parsed.getNumTemplates() > 0) {
                throw new IllegalArgumentException(source.getKey() + " holds policy templates, which are not supported; write static policies");
            }
            int index = 0;
            for (Policy policy : order(parsed)) {
                String id = annotatedId(policy, source.getKey() + "#" + index++);
                if (!ids.add(id)) {
                    throw new IllegalArgumentException("two policies have the id '" + id + "'");
                }
                policies.add(new Policy(policy.policySrc, id));
            }
        }
        PolicySet set = new PolicySet(policies);
        ValidationResponse validation;
        try {
            validation = new BasicAuthorizationEngine().validate(new ValidationRequest(schema, set));
        } catch (AuthException e) {
            throw new IllegalArgumentException("the policies could not be validated: " + e.getMessage(), e);
        }
        if (!validation.validationPassed()) {
            throw new IllegalArgumentException("the policies do not validate against the schema: " + errors(validation));
        }
        validation.success.ifPresent(success -> success.validationWarnings.forEach(
                warning -> warnings.add(warning.getPolicyId() + ": " + describe(warning.getError()))));
        if (!preparse(set)) {
            warnings.add("Cedar's native cache of policy sets is full (raise -Dcedar.cache.maxPolicySets); "
                    + "this set is passed as text at each decision, which is slower");
        }
        List<Policy> ordered = List.copyOf(policies);
        List<PolicyScope> scopes = new ArrayList<>();
        Set<String> forbids = new LinkedHashSet<>();
        for (Policy policy : ordered) {
            PolicyScope scope = scope(policy);
            scopes.add(scope);
            if (!scope.permit() || scope.unread()) {
                forbids.add(policy.policyID);
            }
        }
        return new CompiledPolicies(set, version, policies.size(), ContextReferences.of(policies), ordered,
                List.copyOf(scopes), Set.copyOf(forbids), new ConcurrentHashMap<>());
    }

    /**
     * The policies whose head can match {@code request}, as a set to ask Cedar; {@code null} when no
     * {@code permit} can match, so that the answer is deny without asking (see {@link PolicyScope}).
     */
    PolicySet applicableTo(CedarRequest request) {
        BitSet matching = new BitSet(scopes.size());
        boolean permits = false;
        for (int i = 0; i < scopes.size(); i++) {
            PolicyScope scope = scopes.get(i);
            if (scope.matches(request)) {
                matching.set(i);
                permits |= scope.permit();
            }
        }
        if (!permits) {
            return null;
        }
        if (matching.cardinality() == scopes.size()) {
            return policySet;
        }
        PolicySet subset = subsets.get(matching);
        if (subset != null) {
            return subset;
        }
        subset = subset(matching);
        if (subsets.size() < MAX_SUBSETS) {
            if (subsets.size() < MAX_PREPARSED_SUBSETS) {
                preparse(subset);
            }
            PolicySet raced = subsets.putIfAbsent(matching, subset);
            return raced == null ? subset : raced;
        }
        return subset;
    }

    private PolicySet subset(BitSet matching) {
        Set<Policy> chosen = new LinkedHashSet<>();
        matching.stream().forEach(i -> chosen.add(policies.get(i)));
        return new PolicySet(chosen);
    }

    /** Parses the set once in the native library, not at every decision; false when its cache is full. */
    private static boolean preparse(PolicySet set) {
        try {
            set.cache();
            return true;
        } catch (CacheException e) {
            LOG.debug("Cedar did not cache a policy set: {}", e.getMessage());
            return false;
        }
    }

    private static PolicyScope scope(Policy policy) {
        try {
            return PolicyScope.of(JSON.readTree(policy.toJson()));
        } catch (InternalException | JsonProcessingException e) { // cannot tell: it may match anything
            return PolicyScope.anything();
        }
    }

    /** The policies in the order of the source: Cedar numbers them policy0, policy1, ... */
    private static List<Policy> order(PolicySet parsed) {
        List<Policy> list = new ArrayList<>(parsed.policies);
        list.sort((a, b) -> Integer.compare(number(a.policyID), number(b.policyID)));
        return list;
    }

    private static int number(String id) {
        try {
            return Integer.parseInt(id.replaceFirst("^policy", ""));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    private static String annotatedId(Policy policy, String fallback) {
        try {
            String id = policy.getAnnotation("id");
            return id == null || id.isBlank() ? fallback : id;
        } catch (InternalException e) {
            return fallback;
        }
    }

    private static String errors(ValidationResponse validation) {
        List<String> messages = new ArrayList<>();
        validation.success.ifPresent(success -> success.validationErrors.forEach(
                error -> messages.add(error.getPolicyId() + ": " + describe(error.getError()))));
        validation.errors.ifPresent(errors -> errors.forEach(error -> messages.add(describe(error))));
        return messages.isEmpty() ? validation.toString() : String.join("; ", messages);
    }

    private static String describe(DetailedError error) {
        return error.message + error.help.filter(help -> !help.isBlank()).map(help -> " (" + help + ")").orElse("");
    }
}
