package dev.agentgateway.a2a.internal;

import java.io.IOException;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.agentgateway.a2a.internal.JsonFacts.Value;

/**
 * What the gateway reads from a JSON-RPC request: the envelope ({@code jsonrpc}, {@code id},
 * {@code method}) and the few parameters that identify the task, the context and the message.
 *
 * @param idJson the id as JSON text, echoed in errors the gateway gives ({@code null} when absent)
 * @param wireMethod the method as sent
 * @param facts the parameter values read (see {@link MessageFacts})
 */
public record JsonRpcEnvelope(String idJson, String wireMethod, Map<String, Value> facts) {

    private static final JsonFacts READER = new JsonFacts(wantedPaths());

    private static Set<String> wantedPaths() {
        Set<String> paths = JsonFacts.prefixed("params.", MessageFacts.PATHS);
        paths.addAll(Set.of("jsonrpc", "id", "method", "params"));
        return paths;
    }

    /** Why a body is not a JSON-RPC request: the error to answer with. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;
        private final String idJson;

        Invalid(int code, String message, String idJson) {
            super(message, null, false, false);
            this.code = code;
            this.idJson = idJson;
        }

        public int code() {
            return code;
        }

        public String idJson() {
            return idJson;
        }
    }

    /** Reads and checks a request body. */
    public static JsonRpcEnvelope parse(byte[] body) throws Invalid {
        Map<String, Value> facts;
        try {
            facts = READER.read(body);
        } catch (JsonProcessingException e) {
            throw new Invalid(JsonRpcErrors.PARSE_ERROR, "Parse error: the body is not valid JSON ("
                    + e.getOriginalMessage() + ")", "null");
        } catch (IOException e) {
            throw new Invalid(JsonRpcErrors.PARSE_ERROR, "Parse error: " + e.getMessage(), "null");
        }
        JsonToken top = facts.get("").token();
        if (top == JsonToken.START_ARRAY) {
            throw new Invalid(JsonRpcErrors.INVALID_REQUEST, "Invalid Request: batches are not supported by A2A", "null");
        }
        if (top != JsonToken.START_OBJECT) {
            throw new Invalid(JsonRpcErrors.INVALID_REQUEST, "Invalid Request: the body must be a JSON object", "null");
        }
        Value id = facts.get("id");
        String idJson = null;
        if (id != null) {
            idJson = switch (id.token()) {
                case VALUE_STRING -> "\"" + JsonRpcErrors.escape(id.text()) + "\"";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> id.text();
                case VALUE_NULL -> "null";
                default -> throw new Invalid(JsonRpcErrors.INVALID_REQUEST,
                        "Invalid Request: id must be a string, a number or null", "null");
            };
        }
        String echo = idJson == null ? "null" : idJson;
        Value version = facts.get("jsonrpc");
        if (version == null || !version.isText() || !version.text().equals("2.0")) {
            throw new Invalid(JsonRpcErrors.INVALID_REQUEST, "Invalid Request: jsonrpc must be \"2.0\"", echo);
        }
        Value method = facts.get("method");
        if (method == null || !method.isText() || method.text().isEmpty()) {
            throw new Invalid(JsonRpcErrors.INVALID_REQUEST, "Invalid Request: method must be a non-empty string", echo);
        }
        Value params = facts.get("params");
        if (params != null && params.token() != JsonToken.START_OBJECT && params.token() != JsonToken.START_ARRAY) {
            throw new Invalid(JsonRpcErrors.INVALID_PARAMS, "Invalid params: params must be an object", echo);
        }
        return new JsonRpcEnvelope(idJson, method.text(), facts);
    }

    /** The id to echo in an error: the request's, or {@code null}. */
    public String echoId() {
        return idJson == null ? "null" : idJson;
    }
}
