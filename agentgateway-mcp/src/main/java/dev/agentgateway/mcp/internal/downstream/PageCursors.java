package dev.agentgateway.mcp.internal.downstream;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.McpContext;

/**
 * The gateway's cursor for a merged, paginated list: a sealed map from target to that target's own
 * cursor, so the next page asks only the targets that have more. Sealed per list method, so a cursor
 * of one list is refused by another, and a client can neither read nor forge the targets' cursors.
 */
final class PageCursors {
    private static final String PURPOSE = "mcp-cursor-v1:";

    private final McpContext context;

    PageCursors(McpContext context) {
        this.context = context;
    }

    String seal(String method, Map<String, String> cursors) {
        ObjectNode payload = context.json().object();
        cursors.forEach(payload::put);
        return context.tokens().seal(PURPOSE + method, context.json().bytes(payload));
    }

    /** The targets' cursors, in target order, or {@code null} when {@code cursor} is not one of ours for {@code method}. */
    Map<String, String> open(String method, String cursor) {
        byte[] plain = context.tokens().open(PURPOSE + method, cursor);
        if (plain == null) {
            return null;
        }
        try {
            JsonNode payload = context.json().parse(plain);
            Map<String, String> cursors = new LinkedHashMap<>();
            for (String target : context.targets().keySet()) {
                if (payload.get(target) instanceof JsonNode value && value.isTextual()) {
                    cursors.put(target, value.asText());
                }
            }
            return cursors.isEmpty() ? null : cursors;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The targets a request for a page asks, with their cursors ({@code null}: the first page): every
     * target in {@code first} when the request has no cursor, else those the cursor names; {@code null}
     * when the request's cursor is invalid.
     */
    Map<String, String> of(String method, JsonNode cursor, Iterable<String> first) {
        if (cursor != null && !cursor.isNull()) {
            return cursor.isTextual() ? open(method, cursor.asText()) : null;
        }
        Map<String, String> cursors = new LinkedHashMap<>();
        for (String target : first) {
            cursors.put(target, null);
        }
        return cursors;
    }
}
