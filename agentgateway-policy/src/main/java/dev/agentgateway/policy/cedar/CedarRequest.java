package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.entity.Entity;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimString;
import com.cedarpolicy.value.Value;
import dev.agentgateway.core.Operation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * One question for Cedar: an {@link Operation} in the entity model's words. The action is the
 * operation's, except that a few module actions count as others ({@code send_streaming_message} is
 * {@code send_message}; subscribing to a resource is reading it; completing an argument is getting the
 * prompt or reading the resource). The resource gets its parents: a tool its MCP target and route, a
 * task its agent, every other resource the route.
 */
record CedarRequest(EntityUID action, EntityUID resource, Set<Entity> entities, Map<String, Value> context,
                    PolicyScope.Ref principal, Set<PolicyScope.Ref> principalAncestors, PolicyScope.Ref actionRef,
                    PolicyScope.Ref resourceRef, Set<PolicyScope.Ref> resourceAncestors) {
    private static final EntityTypeName ACTION = RequestFacts.type("Action");
    private static final EntityTypeName MCP_TARGET = RequestFacts.type("McpTarget");
    private static final EntityTypeName AGENT = RequestFacts.type("Agent");
    private static final Set<String> CONTEXT_SET_HERE = Set.of("protocol", "request", "client_ip", "now");

    /** The Cedar action for a module's action and resource type. */
    static String action(Operation operation) {
        return switch (operation.action()) {
            case "send_streaming_message" -> "send_message";
            case "subscribe_resource", "unsubscribe_resource" -> "read_resource";
            case "complete" -> operation.resourceType().equals("Prompt") ? "get_prompt" : "read_resource";
            default -> operation.action();
        };
    }

    static CedarRequest of(RequestFacts facts, Operation operation, ContextReferences reads) {
        Map<String, Object> given = operation.context();
        Set<Entity> entities = new HashSet<>();
        entities.add(facts.principalEntity);
        if (reads.reads("request")) {
            entities.add(facts.requestEntity);
        }
        entities.addAll(facts.groupEntities);
        EntityUID resource = new EntityUID(RequestFacts.type(operation.resourceType()), operation.resourceId());
        Set<EntityUID> parents = new HashSet<>();
        Set<EntityUID> ancestors = new HashSet<>(); // above the parents
        Map<String, Value> attributes = new HashMap<>();
        switch (operation.resourceType()) {
            case "Tool", "Prompt", "Resource" -> {
                String target = text(given.get("target"), "");
                attributes.put("name", new PrimString(text(given.get("name"), operation.resourceId())));
                attributes.put("target", new PrimString(target));
                if (!target.isEmpty()) {
                    EntityUID targetUid = new EntityUID(MCP_TARGET, target);
                    entities.add(new Entity(targetUid, Map.of(), Set.of(facts.route)));
                    parents.add(targetUid);
                    ancestors.add(facts.route);
                } else {
                    parents.add(facts.route);
                }
            }
            case "Task" -> {
                attributes.put("owner", new PrimString(text(given.get("owner"), "")));
                String agent = text(given.get("agent"), "");
                if (!agent.isEmpty()) {
                    EntityUID agentUid = new EntityUID(AGENT, agent);
                    entities.add(new Entity(agentUid, Map.of(), Set.of(facts.route)));
                    parents.add(agentUid);
                    ancestors.add(facts.route);
                } else {
                    parents.add(facts.route);
                }
            }
            case "Route" -> {
            }
            default -> parents.add(facts.route);
        }
        entities.add(new Entity(resource, attributes, parents));
        Map<String, Value> context = facts.baseContext(operation.protocol(), reads);
        given.forEach((name, value) -> {
            Value cedar = CONTEXT_SET_HERE.contains(name) ? null : CedarValues.of(value);
            if (cedar != null) {
                context.put(name, cedar);
            }
        });
        if (reads.reads("method")) {
            context.putIfAbsent("method", new PrimString(facts.httpMethod));
        }
        ancestors.addAll(parents);
        Set<PolicyScope.Ref> resourceAncestors = new HashSet<>();
        ancestors.forEach(uid -> resourceAncestors.add(PolicyScope.Ref.of(uid)));
        EntityUID action = new EntityUID(ACTION, action(operation));
        return new CedarRequest(action, resource, entities, context, facts.principalRef, facts.principalAncestors,
                PolicyScope.Ref.of(action), PolicyScope.Ref.of(resource), resourceAncestors);
    }

    private static String text(Object value, String fallback) {
        return value instanceof String string ? string : fallback;
    }
}
