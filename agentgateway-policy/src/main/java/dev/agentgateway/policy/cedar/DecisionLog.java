package dev.agentgateway.policy.cedar;

import dev.agentgateway.core.Operation;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Denials as structured log lines and every decision as a counter,
 * {@code agentgateway.authorization.decisions}, tagged by protocol, action, resource type, decision
 * ({@code allow}/{@code deny}) and scope ({@code request}, or {@code item} for an entry of a list):
 * never by resource ids or argument values, and actions or types outside the entity model count as
 * {@code other}, so the tag values stay bounded.
 */
final class DecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger(CedarAuthorization.class);
    static final String METRIC = "agentgateway.authorization.decisions";
    private static final Set<String> PROTOCOLS = Set.of("mcp", "a2a", "llm", "http");
    private static final Set<String> ACTIONS = Set.of("call_tool", "get_prompt", "read_resource", "get_agent_card",
            "get_extended_agent_card", "send_message", "list_tasks", "deliver_push_notification", "get_task",
            "cancel_task", "subscribe_to_task", "create_push_notification_config", "get_push_notification_config",
            "list_push_notification_configs", "delete_push_notification_config", "use_model", "http_request");
    private static final Set<String> TYPES = Set.of("Tool", "Prompt", "Resource", "Agent", "Task", "Model", "Route");

    private final MeterRegistry registry;

    DecisionLog(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(Operation operation, RequestFacts facts, Decisions.Decision decision, boolean item) {
        String action = CedarRequest.action(operation);
        registry.counter(METRIC,
                "protocol", bounded(operation.protocol(), PROTOCOLS),
                "action", bounded(action, ACTIONS),
                "resource_type", bounded(operation.resourceType(), TYPES),
                "decision", decision.allowed() ? "allow" : "deny",
                "scope", item ? "item" : "request").increment();
        if (!decision.errors().isEmpty()) {
            LOG.warn("authorization error ({}): protocol={} action={} resource={}::{} principal={} route={} errors={}",
                    decision.allowed() ? "in a permit; another permit allowed" : "denied",
                    operation.protocol(), action, operation.resourceType(), quoted(operation.resourceId()),
                    principal(facts), facts.routeName, decision.errors());
        } else if (!decision.allowed()) {
            if (item) {
                LOG.debug("authorization hid: protocol={} action={} resource={}::{} principal={} route={}",
                        operation.protocol(), action, operation.resourceType(), quoted(operation.resourceId()),
                        principal(facts), facts.routeName);
            } else {
                LOG.info("authorization denied: protocol={} action={} resource={}::{} principal={} route={} policies={}",
                        operation.protocol(), action, operation.resourceType(), quoted(operation.resourceId()),
                        principal(facts), facts.routeName, decision.reasons().isEmpty() ? "none permits" : decision.reasons());
            }
        }
    }

    private static String principal(RequestFacts facts) {
        return facts.principal == null ? "anonymous" : facts.principal.scheme() + ":" + facts.principal.subject();
    }

    /** A resource id as a quoted, cut-down string: ids come from clients and may be long or odd. */
    private static String quoted(String id) {
        String shown = id.length() > 200 ? id.substring(0, 200) + "..." : id;
        StringBuilder out = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }

    private static String bounded(String value, Set<String> known) {
        return known.contains(value) ? value : "other";
    }
}
