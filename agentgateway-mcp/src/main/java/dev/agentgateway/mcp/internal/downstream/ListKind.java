package dev.agentgateway.mcp.internal.downstream;

/**
 * The four paginated lists, with the field that holds the items, the item field that names them, and
 * the action and resource type an {@link dev.agentgateway.core.Authorizer} is asked about for each item.
 */
enum ListKind {
    TOOLS("tools/list", "tools", "name", false, "tools", "call_tool", "Tool"),
    PROMPTS("prompts/list", "prompts", "name", false, "prompts", "get_prompt", "Prompt"),
    RESOURCES("resources/list", "resources", "uri", true, "resources", "read_resource", "Resource"),
    RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", true, "resources", "read_resource", "Resource");

    final String method;
    final String items;
    final String key;
    final boolean uri;
    /** The server capability a target declares when it offers this list. */
    final String capability;
    final String action;
    final String resourceType;

    ListKind(String method, String items, String key, boolean uri, String capability, String action, String resourceType) {
        this.method = method;
        this.items = items;
        this.key = key;
        this.uri = uri;
        this.capability = capability;
        this.action = action;
        this.resourceType = resourceType;
    }

    static ListKind of(String method) {
        for (ListKind kind : values()) {
            if (kind.method.equals(method)) {
                return kind;
            }
        }
        return null;
    }
}
