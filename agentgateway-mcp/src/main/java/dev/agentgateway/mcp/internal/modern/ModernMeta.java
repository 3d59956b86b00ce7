package dev.agentgateway.mcp.internal.modern;

import java.util.Set;

/** The names the modern era (2026-07-28) gives to per-request metadata, headers and result fields. */
final class ModernMeta {
    static final String PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion";
    static final String CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities";
    static final String CLIENT_INFO = "io.modelcontextprotocol/clientInfo";
    static final String LOG_LEVEL = "io.modelcontextprotocol/logLevel";
    static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";
    static final String SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId";
    /** The {@code _meta} keys that describe the client to the gateway and are not forwarded to a legacy upstream. */
    static final Set<String> CLIENT_KEYS = Set.of(PROTOCOL_VERSION, CLIENT_CAPABILITIES, CLIENT_INFO, LOG_LEVEL);

    static final String VERSION_HEADER = "MCP-Protocol-Version";
    static final String METHOD_HEADER = "Mcp-Method";
    static final String NAME_HEADER = "Mcp-Name";
    static final String PARAM_HEADER_PREFIX = "Mcp-Param-";

    /** The spec's codes of the modern era. */
    static final int HEADER_MISMATCH = -32020;
    static final int MISSING_CLIENT_CAPABILITY = -32021;
    static final int UNSUPPORTED_PROTOCOL_VERSION = -32022;

    /** The only methods whose result may ask the client for input (MRTR). */
    static final Set<String> INPUT_METHODS = Set.of("tools/call", "prompts/get", "resources/read");
    /** The results that carry caching hints ({@code ttlMs}, {@code cacheScope}). */
    static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list", "resources/list",
            "resources/templates/list", "resources/read");
    /** What the modern path serves; everything else is answered 404 / -32601 (legacy-only methods too). */
    static final Set<String> METHODS = Set.of("server/discover", "subscriptions/listen", "tools/list", "tools/call",
            "prompts/list", "prompts/get", "resources/list", "resources/templates/list", "resources/read", "completion/complete");

    private ModernMeta() {
    }
}
