package dev.agentgateway.policy.cedar;

import com.cedarpolicy.value.EntityUID;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The head of one policy ({@code permit(principal in Group::"dev", action == Action::"call_tool",
 * resource in McpTarget::"github")}), read from its JSON form, so that a decision is asked of only the
 * policies whose head can match the request.
 *
 * <p>Why: cedar-java's cost per decision grows with the size of the policy set (about 3 µs a policy
 * on these machines, in its native call, even for a preparsed set), while a policy whose head does not
 * match cannot change the answer: Cedar checks the head before the conditions, so such a policy is
 * neither satisfied nor in error. Leaving it out gives Cedar's own answer, faster; and a request that
 * no {@code permit} can match is denied without asking at all.
 *
 * <p>Conservative by construction: a head this class does not understand matches everything, and
 * {@code action in ...} always matches (a schema extension could declare action groups).
 */
record PolicyScope(boolean permit, Constraint principal, Constraint action, Constraint resource, boolean unread) {

    /** An entity in the policies' terms: its type name and its id. */
    record Ref(String type, String id) {
        static Ref of(EntityUID uid) {
            return new Ref(uid.getType().toString(), uid.getId().toString());
        }
    }

    /** One of {@code principal}, {@code action} or {@code resource} in a policy head. */
    record Constraint(String op, List<Ref> entities, String entityType) {
        private static final Constraint ANY = new Constraint("All", List.of(), "");

        static Constraint of(JsonNode node) {
            String op = node.path("op").asText("");
            List<Ref> entities = new ArrayList<>();
            JsonNode single = node.has("in") ? node.path("in").path("entity") : node.path("entity");
            if (single.isObject()) {
                Ref ref = ref(single);
                if (ref == null) {
                    return ANY;
                }
                entities.add(ref);
            }
            for (JsonNode element : node.path("entities")) {
                Ref ref = ref(element);
                if (ref == null) {
                    return ANY;
                }
                entities.add(ref);
            }
            return switch (op) {
                case "==", "in" -> entities.isEmpty() ? ANY : new Constraint(op, List.copyOf(entities), "");
                case "is" -> node.path("entity_type").isTextual()
                        ? new Constraint(op, List.copyOf(entities), node.path("entity_type").asText()) : ANY;
                default -> ANY; // "All", a slot, or a form this version does not know
            };
        }

        private static Ref ref(JsonNode entity) {
            return entity.path("type").isTextual() && entity.path("id").isTextual()
                    ? new Ref(entity.path("type").asText(), entity.path("id").asText()) : null;
        }

        /** Whether an entity with these ancestors can satisfy this constraint. */
        boolean matches(Ref entity, Set<Ref> ancestors) {
            return switch (op) {
                case "==" -> entities.get(0).equals(entity);
                case "in" -> entities.stream().anyMatch(e -> e.equals(entity) || ancestors.contains(e));
                case "is" -> entityType.equals(entity.type())
                        && (entities.isEmpty() || entities.get(0).equals(entity) || ancestors.contains(entities.get(0)));
                default -> true;
            };
        }
    }

    static PolicyScope of(JsonNode policy) {
        Constraint action = Constraint.of(policy.path("action"));
        return new PolicyScope(!"forbid".equals(policy.path("effect").asText()), Constraint.of(policy.path("principal")),
                action.op().equals("==") ? action : Constraint.ANY, Constraint.of(policy.path("resource")), false);
    }

    /**
     * For a policy whose JSON form could not be read ({@code unread}): it matches every request, counts
     * as a permit when deciding whether to ask Cedar, and as a forbid when it fails.
     */
    static PolicyScope anything() {
        return new PolicyScope(true, Constraint.ANY, Constraint.ANY, Constraint.ANY, true);
    }

    boolean matches(CedarRequest request) {
        return principal.matches(request.principal(), request.principalAncestors())
                && action.matches(request.actionRef(), Set.of())
                && resource.matches(request.resourceRef(), request.resourceAncestors());
    }
}
