package dev.agentgateway.mcp.internal.modern;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * JSON in one spelling whatever the member order, for keys (client capabilities) and digests (the
 * request an MRTR {@code requestState} is bound to).
 */
final class Canonical {

    private Canonical() {
    }

    /** {@code node} with object members sorted by name, numbers as Jackson writes them, no whitespace. */
    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(TextNode.valueOf(names.get(i))).append(':');
                write(object.get(names.get(i)), out);
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }

    /**
     * The digest of what a request asks, for binding MRTR state to it: the method and the params
     * without {@code _meta}, {@code inputResponses} and {@code requestState} (which change between rounds).
     */
    static String requestDigest(String method, ObjectNode params) {
        ObjectNode salient = params == null ? null : params.deepCopy();
        if (salient != null) {
            salient.remove(List.of("_meta", "inputResponses", "requestState"));
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(method.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update((salient == null ? "null" : of(salient)).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
