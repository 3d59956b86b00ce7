package dev.agentgateway.mcp.internal.modern;

import dev.agentgateway.mcp.internal.ParamHeaders;
import dev.agentgateway.mcp.internal.ModernMeta;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.mcp.internal.HeaderValues;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import org.eclipse.jetty.http.HttpFields;

/**
 * A request on the modern path, checked as 2026-07-28 asks before anything is served: the version in
 * {@code _meta} and in {@code MCP-Protocol-Version} (the same, and one the gateway speaks), the client's
 * capabilities, and the headers that mirror the body ({@code Mcp-Method}, {@code Mcp-Name}). The
 * {@code Mcp-Param-*} headers need the tool's schema and are checked by {@link ParamHeaders}.
 *
 * @param message the request as the client sent it
 * @param version the protocol version it names
 * @param capabilities {@code _meta} client capabilities
 * @param clientInfo {@code _meta} client info ({@code {}} when absent: it is only a SHOULD)
 * @param logLevel the lowest level of {@code notifications/message} the client wants, or {@code null} for none
 */
record ModernRequest(ObjectNode message, String version, ObjectNode capabilities, ObjectNode clientInfo, String logLevel) {

    /** Why a request is refused before it is served: HTTP status and JSON-RPC error. */
    record Refusal(int status, ObjectNode error) {
    }

    JsonNode id() {
        return message.get("id");
    }

    String method() {
        return message.path("method").asText();
    }

    ObjectNode params() {
        return JsonRpc.params(message);
    }

    /** Whether a POST belongs on the modern path (the spec's dual-era rule): no session, and a modern version in {@code _meta} or header. */
    static boolean isModern(ObjectNode message, HttpFields headers) {
        if (headers.get("Mcp-Session-Id") != null) {
            return false;
        }
        if (JsonRpc.params(message) instanceof ObjectNode params && params.get("_meta") instanceof ObjectNode meta
                && meta.has(ModernMeta.PROTOCOL_VERSION)) {
            return true;
        }
        String header = headers.get(ModernMeta.VERSION_HEADER);
        return header != null && !ProtocolVersions.supported(header.strip());
    }

    /** The checked request, or the refusal ({@link Refusal}) to answer. */
    static Object check(ObjectNode message, HttpFields headers) {
        JsonNode id = message.get("id");
        ObjectNode params = JsonRpc.params(message);
        ObjectNode meta = params != null && params.get("_meta") instanceof ObjectNode m ? m : null;
        JsonNode metaVersion = meta == null ? null : meta.get(ModernMeta.PROTOCOL_VERSION);
        String header = headers.get(ModernMeta.VERSION_HEADER);
        if (header == null) {
            return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: the MCP-Protocol-Version header is required");
        }
        String version = header.strip();
        if (metaVersion == null || !metaVersion.isTextual()) {
            return refusal(400, id, JsonRpc.INVALID_PARAMS,
                    "Invalid params: _meta[\"" + ModernMeta.PROTOCOL_VERSION + "\"] is required");
        }
        if (!version.equals(metaVersion.asText())) {
            return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: MCP-Protocol-Version '" + version
                    + "' does not match _meta protocol version '" + metaVersion.asText() + "'");
        }
        if (!ProtocolVersions.modern(metaVersion.asText())) {
            ObjectNode data = JsonNodeFactory.instance.objectNode();
            ArrayNode supported = data.putArray("supported");
            ProtocolVersions.ALL_NEWEST_FIRST.forEach(supported::add);
            data.put("requested", metaVersion.asText());
            return new Refusal(400, JsonRpc.error(id, ModernMeta.UNSUPPORTED_PROTOCOL_VERSION,
                    "Unsupported protocol version: " + metaVersion.asText(), data));
        }
        if (!(meta.get(ModernMeta.CLIENT_CAPABILITIES) instanceof ObjectNode capabilities)) {
            return refusal(400, id, JsonRpc.INVALID_PARAMS,
                    "Invalid params: _meta[\"" + ModernMeta.CLIENT_CAPABILITIES + "\"] is required (an object)");
        }
        String method = message.path("method").asText();
        String methodHeader = headers.get(ModernMeta.METHOD_HEADER);
        if (methodHeader == null) {
            return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: the Mcp-Method header is required");
        }
        if (!methodHeader.strip().equals(method)) {
            return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: Mcp-Method '" + methodHeader.strip()
                    + "' does not match the method '" + method + "'");
        }
        String named = namedItem(method, params);
        if (named != null) {
            String nameHeader = headers.get(ModernMeta.NAME_HEADER);
            if (nameHeader == null) {
                return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: the Mcp-Name header is required for " + method);
            }
            String decoded = HeaderValues.decode(nameHeader);
            if (decoded == null) {
                return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: Mcp-Name is not valid base64 UTF-8");
            }
            if (!decoded.equals(named)) {
                return refusal(400, id, ModernMeta.HEADER_MISMATCH, "Header mismatch: Mcp-Name '" + decoded
                        + "' does not match '" + named + "' in the body");
            }
        }
        ObjectNode clientInfo = meta.get(ModernMeta.CLIENT_INFO) instanceof ObjectNode info ? info : JsonNodeFactory.instance.objectNode();
        JsonNode level = meta.get(ModernMeta.LOG_LEVEL);
        return new ModernRequest(message, version, capabilities, clientInfo, level != null && level.isTextual() ? level.asText() : null);
    }

    /** The name or URI {@code Mcp-Name} must carry for {@code method}, or {@code null} when the method names none. */
    private static String namedItem(String method, ObjectNode params) {
        if (params == null) {
            return null;
        }
        return switch (method) {
            case "tools/call", "prompts/get" -> params.path("name").asText("");
            case "resources/read" -> params.path("uri").asText("");
            case "tasks/get", "tasks/update", "tasks/cancel" -> params.path("taskId").asText(""); // SEP-2663 routing header
            default -> null;
        };
    }

    private static Refusal refusal(int status, JsonNode id, int code, String text) {
        return new Refusal(status, JsonRpc.error(id, code, text));
    }
}
