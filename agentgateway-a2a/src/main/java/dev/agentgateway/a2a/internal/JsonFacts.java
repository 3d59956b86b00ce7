package dev.agentgateway.a2a.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Reads a few values out of a JSON document without building it: only the objects on the way to a
 * wanted path are entered, everything else (message parts, artifacts, history) is skipped by the
 * tokenizer. Arrays are never entered. Paths are field names joined by dots, such as
 * {@code result.status.state}.
 */
public final class JsonFacts {
    // a pool shared by threads: Jackson's default is per thread, and every exchange runs on a new virtual thread
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newConcurrentDequePool()).build();

    /** A value found at a wanted path: its token (a scalar, or the start of an object or array) and text. */
    public record Value(JsonToken token, String text) {
        public boolean isText() {
            return token == JsonToken.VALUE_STRING;
        }

        public boolean isObject() {
            return token == JsonToken.START_OBJECT;
        }
    }

    private final Set<String> wanted;
    private final Set<String> prefixes;

    /** Facts at these paths; the set is read once, so keep the instance. */
    public JsonFacts(Set<String> wanted) {
        this.wanted = Set.copyOf(wanted);
        Set<String> ways = new HashSet<>();
        for (String path : wanted) {
            for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
                ways.add(path.substring(0, dot));
            }
        }
        this.prefixes = Set.copyOf(ways);
    }

    /** Every wanted path with the same set of paths prefixed by {@code prefix} (such as {@code "params."}). */
    public static Set<String> prefixed(String prefix, Set<String> paths) {
        Set<String> result = new HashSet<>();
        for (String path : paths) {
            result.add(prefix + path);
        }
        return result;
    }

    /**
     * The values found, by path. The top-level token is stored under {@code ""}.
     *
     * @throws IOException when the bytes are not one well-formed JSON value
     */
    public Map<String, Value> read(byte[] json, int offset, int length) throws IOException {
        Map<String, Value> found = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(json, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "empty document");
            }
            found.put("", new Value(first, first.isScalarValue() ? parser.getText() : null));
            if (first == JsonToken.START_OBJECT) {
                readObject(parser, "", found);
            } else if (first == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(parser, "content after the JSON value");
            }
        }
        return found;
    }

    /** Reads a whole byte array. */
    public Map<String, Value> read(byte[] json) throws IOException {
        return read(json, 0, json.length);
    }

    private void readObject(JsonParser parser, String path, Map<String, Value> found) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            String child = path.isEmpty() ? name : path + "." + name;
            JsonToken value = parser.nextToken();
            if (wanted.contains(child)) {
                found.put(child, new Value(value, value.isScalarValue() ? parser.getText() : null));
            }
            if (value == JsonToken.START_OBJECT && prefixes.contains(child)) {
                readObject(parser, child, found);
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected token " + token);
        }
    }

    /** The text of a scalar at the first of these paths that has one, or {@code null}. */
    public static String text(Map<String, Value> facts, String... paths) {
        for (String path : paths) {
            Value value = facts.get(path);
            if (value != null && value.token().isScalarValue() && value.token() != JsonToken.VALUE_NULL) {
                return value.text();
            }
        }
        return null;
    }

}
