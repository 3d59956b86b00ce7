package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.exception.InternalException;
import com.cedarpolicy.model.policy.Policy;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which context attributes a policy set reads ({@code context.now}, {@code context.arguments}), found
 * in the policies' JSON form. A cached decision is reused only for a request whose referenced context
 * values are the same, so a set that never reads {@code context.now} decides a tool list once per
 * caller, while one that does decides again each second. A policy that uses {@code context} as a
 * whole makes every attribute count.
 */
record ContextReferences(Set<String> attributes, boolean whole) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ContextReferences of(Collection<Policy> policies) {
        Set<String> attributes = new HashSet<>();
        boolean[] whole = {false};
        for (Policy policy : policies) {
            try {
                walk(JSON.readTree(policy.toJson()), attributes, whole);
            } catch (InternalException | JsonProcessingException e) {
                whole[0] = true; // cannot tell: never reuse a decision across different contexts
            }
        }
        return new ContextReferences(Set.copyOf(attributes), whole[0]);
    }

    /** Whether {@code attribute} of the context can change a decision. */
    boolean reads(String attribute) {
        return whole || attributes.contains(attribute);
    }

    private static void walk(JsonNode node, Set<String> attributes, boolean[] whole) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = field.getValue();
                boolean access = field.getKey().equals(".") || field.getKey().equals("has");
                if (access && isContext(value.path("left")) && value.path("attr").isTextual()) {
                    attributes.add(value.path("attr").asText());
                    continue;
                }
                if (field.getKey().equals("Var") && value.asText().equals("context")) {
                    whole[0] = true;
                }
                walk(value, attributes, whole);
            }
        } else if (node.isArray()) {
            for (JsonNode element : node) {
                walk(element, attributes, whole);
            }
        }
    }

    private static boolean isContext(JsonNode node) {
        return node.path("Var").asText("").equals("context");
    }
}
