package dev.agentgateway.mcp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 envelopes: classifying messages and building responses and errors. */
public final class JsonRpc {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined, as the TypeScript SDK uses it for transport-level refusals. */
    public static final int SERVER_ERROR = -32000;
    /** Implementation-defined: the request timed out (as the TypeScript SDK uses it). */
    public static final int REQUEST_TIMEOUT = -32001;

    private JsonRpc() {
    }

    /**
     * The JSON-RPC code for a gateway failure answered with {@code httpStatus}. JSON-RPC has no codes for
     * HTTP refusals, so the gateway's own (401, 403, 429, 502, 503) use the implementation-defined
     * {@link #SERVER_ERROR}, as the module's transport refusals do; the HTTP status and the gateway's code
     * travel in {@code error.data}. A few statuses have a closer JSON-RPC meaning and take it.
     */
    public static int codeFor(int httpStatus) {
        return switch (httpStatus) {
            case 413 -> INVALID_REQUEST;
            case 500 -> INTERNAL_ERROR;
            case 504 -> REQUEST_TIMEOUT;
            default -> SERVER_ERROR;
        };
    }

    /** The kind of a JSON-RPC message. */
    public enum Kind { REQUEST, NOTIFICATION, RESPONSE, INVALID }

    /** Classifies {@code node}: a request has a method and an id, a notification a method only, a response an id and a result or error. */
    public static Kind kind(JsonNode node) {
        if (!(node instanceof ObjectNode message) || !"2.0".equals(message.path("jsonrpc").asText(null))) {
            return Kind.INVALID;
        }
        JsonNode method = message.get("method");
        JsonNode id = message.get("id");
        boolean validId = id != null && (id.isTextual() || id.isIntegralNumber());
        if (method != null) {
            if (!method.isTextual()) {
                return Kind.INVALID;
            }
            JsonNode params = message.get("params");
            if (params != null && !params.isObject() && !params.isArray()) {
                return Kind.INVALID;
            }
            if (id == null) {
                return Kind.NOTIFICATION;
            }
            return validId ? Kind.REQUEST : Kind.INVALID;
        }
        boolean hasResult = message.has("result");
        boolean hasError = message.get("error") instanceof ObjectNode;
        if (hasResult != hasError && (validId || hasError && id != null && id.isNull())) {
            return Kind.RESPONSE;
        }
        return Kind.INVALID;
    }

    /** A success response. */
    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.instance : id);
        response.set("result", result);
        return response;
    }

    /** An error response; {@code id} may be {@code null} when the request's id could not be read. */
    public static ObjectNode error(JsonNode id, int code, String message) {
        return error(id, code, message, null);
    }

    /** An error response with {@code data}. */
    public static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.instance : id);
        ObjectNode error = response.putObject("error");
        error.put("code", code);
        error.put("message", message);
        if (data != null) {
            error.set("data", data);
        }
        return response;
    }

    /** A request with this id, method and params (params may be {@code null}). */
    public static ObjectNode request(JsonNode id, String method, JsonNode params) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("jsonrpc", "2.0");
        request.set("id", id);
        request.put("method", method);
        if (params != null) {
            request.set("params", params);
        }
        return request;
    }

    /** A notification. */
    public static ObjectNode notification(String method, JsonNode params) {
        ObjectNode notification = JsonNodeFactory.instance.objectNode();
        notification.put("jsonrpc", "2.0");
        notification.put("method", method);
        if (params != null) {
            notification.set("params", params);
        }
        return notification;
    }

    /** The params object of a message, or {@code null} when absent or not an object. */
    public static ObjectNode params(JsonNode message) {
        return message.get("params") instanceof ObjectNode params ? params : null;
    }

    /** Whether a response is an error. */
    public static boolean isError(JsonNode response) {
        return response.get("error") instanceof ObjectNode;
    }
}
