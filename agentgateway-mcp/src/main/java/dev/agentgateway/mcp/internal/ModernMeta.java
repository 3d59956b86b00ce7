package dev.agentgateway.mcp.internal;

import java.util.Set;

/** The names the modern era (2026-07-28) gives to per-request metadata, headers and result fields. */
public final class ModernMeta {
    public static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    public static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    public static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    public static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    public static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    public static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    /** The 2026 tasks extension (SEP-2663), as capabilities name it. */
    public static final String TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
    /**
     * The gateway's own mark on a request to a modern target, never sent: declare the tasks extension for
     * this request (a legacy client's task, bridged onto the extension).
     */
    public static final String DECLARE_TASKS = "agentgateway/declare-tasks";
    /** The {@code _meta} keys that describe the client to the gateway and are not forwarded to a legacy upstream. */
    public static final Set<String> CLIENT_KEYS = Set.of(PROTOCOL_VERSION, CLIENT_CAPABILITIES, CLIENT_INFO, LOG_LEVEL);

    public static final String VERSION_HEADER = "MCP-Protocol-Version";
    public static final String METHOD_HEADER = "Mcp-Method";
    public static final String NAME_HEADER = "Mcp-Name";
    public static final String PARAM_HEADER_PREFIX = "Mcp-Param-";

    /** The spec's codes of the modern era. */
    public static final int HEADER_MISMATCH = -32020;
    public static final int MISSING_CLIENT_CAPABILITY = -32021;
    public static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    /** The requests a server may make of a client as input to a call or a task (MRTR input requests). */
    public static final Set<String> INPUT_REQUESTS = Set.of("elicitation/create", "sampling/createMessage", "roots/list");
    /** The only methods whose result may ask the client for input (MRTR). */
    public static final Set<String> INPUT_METHODS = Set.of("tools/call", "prompts/get", "resources/read");
    /** The results that carry caching hints ({@code ttlMs}, {@code cacheScope}). */
    public static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list", "resources/list",
            "resources/templates/list", "resources/read");
    /** What the modern path serves; everything else is answered 404 / -32601 (legacy-only methods too). */
    public static final Set<String> METHODS = Set.of("server/discover", "subscriptions/listen", "tools/list", "tools/call",
            "prompts/list", "prompts/get", "resources/list", "resources/templates/list", "resources/read", "completion/complete",
            "tasks/get", "tasks/update", "tasks/cancel");

    private ModernMeta() {
    }
}
