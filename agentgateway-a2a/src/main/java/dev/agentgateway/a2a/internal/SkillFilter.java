package dev.agentgateway.a2a.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;

/**
 * Leaves out of a served card the skills the caller may not use. Each skill is asked about as the
 * {@code send_message} naming it would be (same action and resource), so one rule covers both.
 */
final class SkillFilter {
    private SkillFilter() {
    }

    /** Removes the refused skills from {@code card}; without an authorizer on the exchange the card is left alone. */
    static void filter(ObjectNode card, Exchange exchange, String agent) {
        Authorizer authorizer = exchange.attribute(Authorizer.KEY);
        if (authorizer == null || !(card.get("skills") instanceof ArrayNode skills)) {
            return;
        }
        for (Iterator<JsonNode> it = skills.elements(); it.hasNext(); ) {
            String id = it.next().path("id").asText("");
            Operation use = new Operation("a2a", A2aMethod.SEND_MESSAGE.action(), "Agent", agent,
                    Map.of("method", "agent_card", "skill", id));
            if (!authorizer.allows(exchange, use)) {
                it.remove();
            }
        }
    }
}
