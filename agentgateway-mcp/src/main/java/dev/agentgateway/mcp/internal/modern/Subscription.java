package dev.agentgateway.mcp.internal.modern;

import dev.agentgateway.mcp.internal.ModernMeta;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One open {@code subscriptions/listen} stream: what it was granted, and the notifications waiting to
 * be written to it (each carrying the listen request's id as {@code subscriptionId}).
 */
final class Subscription {
    private final JsonNode id;
    private final boolean tools;
    private final boolean prompts;
    private final boolean resources;
    private final Set<String> uris;
    private final RoundStream queue = new RoundStream();

    Subscription(JsonNode id, boolean tools, boolean prompts, boolean resources, Set<String> uris) {
        this.id = id;
        this.tools = tools;
        this.prompts = prompts;
        this.resources = resources;
        this.uris = Set.copyOf(uris);
    }

    JsonNode id() {
        return id;
    }

    Set<String> uris() {
        return uris;
    }

    RoundStream queue() {
        return queue;
    }

    /** Queues {@code notification} (a copy, tagged) if this subscription asked for its kind. */
    void offer(ObjectNode notification) {
        String method = notification.path("method").asText();
        boolean wanted = switch (method) {
            case "notifications/tools/list_changed" -> tools;
            case "notifications/prompts/list_changed" -> prompts;
            case "notifications/resources/list_changed" -> resources;
            case "notifications/resources/updated" -> uris.contains(notification.path("params").path("uri").asText());
            default -> false;
        };
        if (!wanted) {
            return;
        }
        ObjectNode copy = notification.deepCopy();
        ObjectNode params = copy.get("params") instanceof ObjectNode p ? p : copy.putObject("params");
        ObjectNode meta = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
        meta.set(ModernMeta.SUBSCRIPTION_ID, id);
        queue.send(copy);
    }

    /** Ends the stream (the gateway is closing): the queue's last message is then an empty object. */
    void end() {
        queue.finish(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
    }
}
