package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.EntityUID;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Groups inside groups ({@code Group::"backend" in Group::"engineering"}), configured on the gateway:
 * a caller's roles are its groups, and each decision gets the {@code Group} entities above them, so
 * {@code principal in Group::"engineering"} holds for a member of {@code backend}. Cycles are refused.
 */
record GroupHierarchy(Map<String, Set<String>> parents) {
    static final GroupHierarchy NONE = new GroupHierarchy(Map.of());

    GroupHierarchy {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        parents.forEach((group, above) -> copy.put(group, Set.copyOf(above)));
        parents = Map.copyOf(copy);
        for (String group : parents.keySet()) {
            if (ancestors(parents, group).contains(group)) {
                throw new IllegalArgumentException("group '" + group + "' is inside itself through its parents");
            }
        }
    }

    /** The Group entities of {@code roles} and of every group above them, each with its parents. */
    Set<Entity> entitiesAbove(Set<String> roles) {
        if (parents.isEmpty()) {
            return Set.of();
        }
        Set<Entity> entities = new HashSet<>();
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(roles);
        while (!pending.isEmpty()) {
            String group = pending.pop();
            if (!seen.add(group)) {
                continue;
            }
            Set<String> above = parents.getOrDefault(group, Set.of());
            Set<EntityUID> uids = new HashSet<>();
            for (String parent : above) {
                uids.add(new EntityUID(RequestFacts.GROUP, parent));
                pending.push(parent);
            }
            entities.add(new Entity(new EntityUID(RequestFacts.GROUP, group), Map.of(), uids));
        }
        return entities;
    }

    private static Set<String> ancestors(Map<String, Set<String>> parents, String group) {
        Set<String> found = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(parents.getOrDefault(group, Set.of()));
        while (!pending.isEmpty()) {
            String next = pending.pop();
            if (found.add(next)) {
                pending.addAll(parents.getOrDefault(next, Set.of()));
            }
        }
        return found;
    }
}
