package dev.agentgateway.mcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Operation;
import dev.agentgateway.mcp.ToolViews;

/**
 * The core {@link Operation} of an MCP request, for policies: the action in the policy model's words,
 * the tool, prompt or resource acted on (as the client names it), and a context with {@code method},
 * {@code target} (when the name tells it) and {@code arguments} (as plain Java values).
 */
public final class Operations {
    private final Naming naming;
    private final Json json;
    private final ToolViews views;

    public Operations(Naming naming, Json json, ToolViews views) {
        this.naming = naming;
        this.json = json;
        this.views = views;
    }

    /**
     * What is not a request: a notification, a client's response, the GET stream, the closing DELETE.
     * It names no resource, so authorization lets it through; authentication still applies.
     */
    public static Operation session(String method) {
        return new Operation("mcp", "session", "Server", "", Map.of("method", method));
    }

    public Operation of(ObjectNode request) {
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        String action;
        String type;
        String id = "";
        Naming.Owned owned = null;
        switch (method) {
            case "tools/call" -> {
                action = "call_tool";
                type = "Tool";
                id = toolName(params.path("name").asText(""));
                owned = naming.resolveName(id);
            }
            case "tools/list" -> {
                action = "list_tools";
                type = "Tool";
            }
            case "prompts/get" -> {
                action = "get_prompt";
                type = "Prompt";
                id = params.path("name").asText("");
                owned = naming.resolveName(id);
            }
            case "prompts/list" -> {
                action = "list_prompts";
                type = "Prompt";
            }
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> {
                action = switch (method) {
                    case "resources/read" -> "read_resource";
                    case "resources/subscribe" -> "subscribe_resource";
                    default -> "unsubscribe_resource";
                };
                type = "Resource";
                id = params.path("uri").asText("");
                owned = naming.resolveUri(id);
            }
            case "resources/list", "resources/templates/list" -> {
                action = method.equals("resources/list") ? "list_resources" : "list_resource_templates";
                type = "Resource";
            }
            case "completion/complete" -> {
                action = "complete";
                boolean prompt = params.path("ref").path("type").asText().equals("ref/prompt");
                type = prompt ? "Prompt" : "Resource";
                id = prompt ? params.path("ref").path("name").asText("") : params.path("ref").path("uri").asText("");
                owned = prompt ? naming.resolveName(id) : naming.resolveUri(id);
            }
            default -> {
                action = method;
                type = "Server";
            }
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("method", method);
        if (owned != null) {
            context.put("target", owned.target());
            context.put("name", owned.name());
        }
        JsonNode arguments = params.get("arguments");
        if (arguments != null && arguments.isObject()) {
            context.put("arguments", json.mapper().convertValue(arguments, Map.class));
        }
        return new Operation("mcp", action, type, id, context);
    }

    /**
     * The tool a {@code tools/call} names, for policies that run before the caller is known: a view's new
     * name that no target could own stands for its original when every view giving that name agrees, so
     * policies decide on the real tool. Otherwise the name as called; the router's item check, made once
     * the caller and its views are known, asks about the original name either way.
     */
    private String toolName(String called) {
        String original = naming.resolveName(called) == null ? views.originalOf(called) : null;
        return original != null ? original : called;
    }
}
