package dev.agentgateway.llm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON trees for the translators: parsing, writing, and small helpers. Each bound backend owns one
 * instance (its mapper's caches are per gateway). Big numbers and decimals keep their exact text, so a
 * temperature of {@code 0.7} leaves as {@code 0.7}.
 */
public final class Json {
    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Jackson's default buffer pool is per thread and each request runs on a new virtual thread: without a
    // shared pool every request would allocate fresh 8 KB read and write buffers
    private final ObjectMapper mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newConcurrentDequePool()).build())
            .setNodeFactory(NODES)
            .configure(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Parses a JSON object; anything else (or malformed text) is a 400 in the caller's dialect. */
    public ObjectNode object(byte[] bytes, String what) {
        JsonNode node;
        try {
            node = mapper.readTree(bytes);
        } catch (IOException e) {
            throw LlmError.invalidRequest(what + " is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            throw LlmError.invalidRequest(what + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Parses JSON text, or returns {@code null} when it is not JSON. */
    public JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses JSON bytes, or returns {@code null} when they are not JSON. */
    public JsonNode parseOrNull(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    public byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public String text(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** A JSON response, written straight to bytes (no detour through a String). */
    public dev.agentgateway.core.Response response(int status, JsonNode body) {
        org.eclipse.jetty.http.HttpFields.Mutable headers = org.eclipse.jetty.http.HttpFields.build();
        headers.put(org.eclipse.jetty.http.HttpHeader.CONTENT_TYPE, "application/json");
        return dev.agentgateway.core.Response.of(status, headers,
                new dev.agentgateway.core.Body.Bytes(java.nio.ByteBuffer.wrap(bytes(body)).asReadOnlyBuffer()));
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** The text of a string field, or {@code null} when absent, null or not a string. */
    public static String string(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    /** Whether a field is present and not JSON null. */
    public static boolean has(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /** Sets {@code to.as} to {@code from.field} when that is present and not JSON null. */
    public static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    /** A long field, or {@code 0}. */
    public static long number(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isNumber() ? value.asLong() : 0;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
