package dev.agentgateway.a2a.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.agentgateway.core.Response;

/**
 * Error answers the gateway itself gives, in the shape each binding owes its clients: JSON-RPC error
 * objects for the JSON-RPC binding, {@code google.rpc.Status}-shaped bodies for the REST binding.
 */
public final class JsonRpcErrors {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /**
     * Implementation-defined server error, for the gateway's refusals (401, 403, 429): A2A's own codes
     * start at {@code -32001}, so {@code -32000} cannot be mistaken for one of them.
     */
    public static final int SERVER_ERROR = -32000;

    private JsonRpcErrors() {
    }

    /**
     * A JSON-RPC error response. Protocol errors are sent with HTTP 200, as JSON-RPC over HTTP and the
     * A2A TCK expect; transport failures (agent unreachable) with 502/504 so that HTTP tooling sees them.
     *
     * @param idJson the request's id as JSON ({@code "null"} when it could not be read)
     */
    public static Response jsonRpc(int httpStatus, String idJson, int code, String message) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"error\":{\"code\":" + code
                + ",\"message\":\"" + escape(message) + "\"}}";
        return Response.json(httpStatus, body);
    }

    /**
     * A JSON-RPC error response with {@code data} (a JSON object, as text) for a failure the gateway
     * answered with {@code httpStatus}.
     */
    public static Response jsonRpc(int httpStatus, String idJson, int code, String message, String dataJson) {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + idJson + ",\"error\":{\"code\":" + code
                + ",\"message\":\"" + escape(message) + "\",\"data\":" + dataJson + "}}";
        return Response.json(httpStatus, body);
    }

    /**
     * The JSON-RPC code for a failure the gateway answers with {@code httpStatus}: {@link #INTERNAL_ERROR}
     * for 5xx, as for an unreachable agent; {@link #INVALID_REQUEST} for a body over the limit;
     * {@link #SERVER_ERROR} for the other refusals.
     */
    public static int codeFor(int httpStatus) {
        if (httpStatus >= 500) {
            return INTERNAL_ERROR;
        }
        return httpStatus == 413 ? INVALID_REQUEST : SERVER_ERROR;
    }

    /** A REST error body: {@code {"error":{"code":502,"status":"UNAVAILABLE","message":"..."}}}. */
    public static Response rest(int httpStatus, String status, String message) {
        String body = "{\"error\":{\"code\":" + httpStatus + ",\"status\":\"" + status + "\",\"message\":\""
                + escape(message) + "\"}}";
        return Response.json(httpStatus, body).header("Content-Type", "application/json");
    }

    /** The google.rpc status name for an HTTP status the gateway produces. */
    public static String restStatus(int httpStatus) {
        return switch (httpStatus) {
            case 400, 422 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 412 -> "FAILED_PRECONDITION";
            case 413, 429 -> "RESOURCE_EXHAUSTED";
            case 501 -> "UNIMPLEMENTED";
            case 502, 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }

    static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
