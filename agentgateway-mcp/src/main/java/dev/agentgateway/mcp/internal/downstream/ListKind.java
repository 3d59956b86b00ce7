package dev.agentgateway.mcp.internal.downstream;

/** The four paginated lists, with the field that holds the items and the item field that names them. */
enum ListKind {
    TOOLS("tools/list", "tools", "name", false, "tools"),
    PROMPTS("prompts/list", "prompts", "name", false, "prompts"),
    RESOURCES("resources/list", "resources", "uri", true, "resources"),
    RESOURCE_TEMPLATES("resources/templates/list", "resourceTemplates", "uriTemplate", true, "resources");

    final String method;
    final String items;
    final String key;
    final boolean uri;
    /** The server capability a target declares when it offers this list. */
    final String capability;

    ListKind(String method, String items, String key, boolean uri, String capability) {
        this.method = method;
        this.items = items;
        this.key = key;
        this.uri = uri;
        this.capability = capability;
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
