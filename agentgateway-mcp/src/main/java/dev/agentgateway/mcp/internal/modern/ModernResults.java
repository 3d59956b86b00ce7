package dev.agentgateway.mcp.internal.modern;

import dev.agentgateway.mcp.internal.ModernMeta;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpSettings;

/**
 * Turns the answers the gateway's legacy machinery produces into the modern era's shapes: every result
 * says {@code resultType} and names the server in {@code _meta}; cacheable results carry caching
 * hints; a resource that does not exist is {@code -32602} (legacy targets answer {@code -32002}).
 */
final class ModernResults {
    /** Legacy "resource not found", which modern implementations must not emit. */
    private static final int RESOURCE_NOT_FOUND = -32002;

    private ModernResults() {
    }

    /**
     * {@code response} (to {@code method}) in modern shape, in place. Caching hints are
     * {@code ttlMs: 0, cacheScope: "private"}: merged answers depend on the caller's policies and on
     * every target, which is what the spec advises a gateway to say when it cannot vouch for more.
     */
    static ObjectNode complete(String method, ObjectNode response, McpSettings settings) {
        if (response.get("error") instanceof ObjectNode error) {
            if (error.path("code").asInt() == RESOURCE_NOT_FOUND) {
                error.put("code", JsonRpc.INVALID_PARAMS);
            }
            return response;
        }
        if (!(response.get("result") instanceof ObjectNode result)) {
            return response;
        }
        if (!result.has("resultType")) {
            result.put("resultType", "complete");
        }
        if (ModernMeta.CACHEABLE.contains(method)) {
            result.put("ttlMs", 0);
            result.put("cacheScope", "private");
        }
        serverInfo(result, settings);
        return response;
    }

    /** Puts the gateway's name and version in {@code result._meta}. */
    static void serverInfo(ObjectNode result, McpSettings settings) {
        ObjectNode meta = result.get("_meta") instanceof ObjectNode m ? m : result.putObject("_meta");
        ObjectNode info = meta.putObject(ModernMeta.SERVER_INFO);
        info.put("name", settings.serverName());
        info.put("version", settings.serverVersion());
    }
}
