package dev.agentgateway.mcp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes JSON-RPC messages as Jackson trees. Parsing keeps every field and the order of
 * object members and arrays, so whatever the gateway does not rewrite passes through untouched. One
 * instance per bound backend (nothing is shared between gateways).
 */
public final class Json {
    // Jackson's default buffer pool is per thread, and every request runs on a new virtual thread: the
    // pool would hand each one fresh 8 KB buffers (a fifth of the gateway's allocation per MCP request)
    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "{} junk" is malformed
            .build();

    /** Parses one JSON value; throws {@link JsonProcessingException} on malformed input. */
    public JsonNode parse(byte[] bytes) throws IOException {
        JsonNode node = mapper.readTree(bytes);
        if (node == null || node.isMissingNode()) {
            throw new JsonProcessingException("empty body") {
                private static final long serialVersionUID = 1L;
            };
        }
        return node;
    }

    /** Parses one JSON value from text. */
    public JsonNode parse(String text) throws IOException {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Compact serialisation (no newlines: stdio framing and SSE data lines rely on it). */
    public String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be serialised", e);
        }
    }

    /** {@link #write} as UTF-8 bytes. */
    public byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be serialised", e);
        }
    }

    /** A new empty object. */
    public ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The mapper, for the in-process transport that converts to the SDK's types. */
    public JsonMapper mapper() {
        return mapper;
    }
}
