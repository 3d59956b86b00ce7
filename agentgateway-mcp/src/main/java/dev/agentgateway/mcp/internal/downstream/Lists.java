package dev.agentgateway.mcp.internal.downstream;

import dev.agentgateway.core.Caller;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.FailureMode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.Naming;
import dev.agentgateway.mcp.internal.upstream.PendingCall;
import dev.agentgateway.mcp.internal.upstream.UpstreamException;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tools/list}, {@code prompts/list}, {@code resources/list} and {@code resources/templates/list}:
 * asks every target in parallel, prefixes and filters the items, and merges them in target order, each
 * target's items in the order it gave them, every item field untouched. Pagination: the gateway's
 * cursor is a sealed map from target to that target's own cursor, so the next page asks only the
 * targets that have more. Items the caller's {@link Visibility} refuses are left out, page by page (a
 * page may hold fewer items; the cursors stay the same). Tools then appear as the caller's
 * {@link CallerViews} show them.
 */
final class Lists {
    private static final Logger LOG = LoggerFactory.getLogger(Lists.class);
    private static final int MAX_TOOL_NAME = 128;
    /** A target that pages without end is not followed further when a list is asked again for a notification. */
    private static final int MAX_RELIST_PAGES = 100;

    private final McpContext context;
    private final PageCursors cursors;

    Lists(McpContext context) {
        this.context = context;
        this.cursors = new PageCursors(context);
    }

    /** The merged answer to {@code request}, with the client's id. */
    ObjectNode list(DownstreamSession session, ObjectNode request, ListKind kind, MessageStream stream, Caller caller,
                    Visibility visibility) {
        JsonNode id = request.get("id");
        ObjectNode params = JsonRpc.params(request);
        JsonNode cursor = params == null ? null : params.get("cursor");
        Map<String, String> cursors = this.cursors.of(kind.method, cursor, context.targets().keySet());
        if (cursors == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid cursor");
        }
        Map<String, CompletableFuture<ObjectNode>> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : cursors.entrySet()) {
            String target = entry.getKey();
            ObjectNode upstreamRequest = request.deepCopy();
            ObjectNode upstreamParams = upstreamRequest.get("params") instanceof ObjectNode p ? p : upstreamRequest.putObject("params");
            if (entry.getValue() == null) {
                upstreamParams.remove("cursor");
            } else {
                upstreamParams.put("cursor", entry.getValue());
            }
            if (upstreamParams.isEmpty()) {
                upstreamRequest.remove("params");
            }
            answers.put(target, CompletableFuture.supplyAsync(() -> ask(session, target, upstreamRequest, stream, caller),
                    context.executor()));
        }
        Map<String, ObjectNode> results = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<ObjectNode>> answer : answers.entrySet()) {
            String target = answer.getKey();
            ObjectNode response = answer.getValue().join();
            if (!JsonRpc.isError(response)) {
                if (response.get("result") instanceof ObjectNode result) {
                    results.put(target, result);
                } else {
                    failures.put(target, "answered without a result object");
                }
            } else if (response.path("error").path("code").asInt() == JsonRpc.METHOD_NOT_FOUND) {
                results.put(target, null); // the target does not offer this list
            } else {
                failures.put(target, response.path("error").path("message").asText());
            }
        }
        if (!failures.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            failures.forEach((target, reason) -> {
                context.metrics().upstreamFailure(target, "list");
                reasons.add("target '" + target + "': " + reason);
            });
            if (context.settings().failureMode() == FailureMode.FAIL_CLOSED || results.isEmpty()) {
                return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, kind.method + " failed: " + String.join("; ", reasons));
            }
            LOG.warn("{}: skipping failed targets (failOpen): {}", kind.method, failures);
        }
        return JsonRpc.result(id, merge(session, kind, results, visibility, cursor == null || cursor.isNull()));
    }

    private ObjectNode ask(DownstreamSession session, String target, ObjectNode request, MessageStream stream, Caller caller) {
        UpstreamSession upstream;
        try {
            upstream = session.upstream(target);
        } catch (UpstreamException e) {
            return JsonRpc.error(request.get("id"), JsonRpc.INTERNAL_ERROR, e.getMessage());
        }
        PendingCall call = upstream.prepare(request, message -> session.fromServer(target, message, stream), caller);
        upstream.send(call);
        return call.response().join();
    }

    /**
     * {@code item} of {@code target}'s {@code kind} list as this caller sees it, or {@code null} when
     * it is left out (the gateway's tool filter, authorization, the caller's tool views, a name too long).
     *
     * @param counts where names are counted for ambiguity, before the caller's filter; {@code null}: not counted
     */
    private ObjectNode shown(ListKind kind, String target, JsonNode item, Visibility visibility, CallerViews views,
                             Map<String, Integer> counts) {
        if (!(item instanceof ObjectNode object && object.get(kind.key) instanceof JsonNode key && key.isTextual())) {
            return null;
        }
        Naming naming = context.naming();
        ObjectNode copy = object.deepCopy();
        String name = kind.uri ? naming.uri(target, key.asText()) : naming.name(target, key.asText());
        copy.put(kind.key, name);
        if (kind == ListKind.TOOLS && !context.settings().toolFilter().permits(name)) {
            return null;
        }
        if (kind == ListKind.TOOLS && name.length() > MAX_TOOL_NAME && naming.prefixing()) {
            // MCP tool names are at most 128 characters; a client may refuse the whole list otherwise
            LOG.warn("tool '{}' of target '{}' is longer than {} characters with its prefix; dropped",
                    key.asText(), target, MAX_TOOL_NAME);
            return null;
        }
        if (counts != null) {
            // counted before the caller's filter: whether a name is ambiguous does not depend on who asks
            counts.merge(name, 1, Integer::sum);
        }
        // authorization decides on the original name, before the caller's views rename anything
        if (!visibility.listed(kind, name, target, key.asText())) {
            return null;
        }
        if (kind == ListKind.TOOLS) {
            if (views.shadowed(name)) {
                LOG.warn("tool '{}' is shadowed by a tool view's new name for this caller; left out", name);
                return null;
            }
            return views.list(copy);
        }
        return copy;
    }

    /** Whether lists differ per caller, so that what each caller was shown is kept ({@link ViewWatch}). */
    boolean watching(Visibility visibility) {
        return visibility.asks() || !context.settings().toolViews().isEmpty();
    }

    /**
     * The fingerprint of {@code target}'s whole {@code kind} list as {@code visibility}'s caller sees it,
     * every page asked again; {@link Fingerprints#EMPTY} when the target does not offer the list;
     * {@code null} when the target could not answer.
     */
    Long fingerprint(DownstreamSession session, ListKind kind, String target, Visibility visibility, Caller caller) {
        CallerViews views = CallerViews.of(context.settings().toolViews(), visibility.principal(), context.json().mapper());
        long fingerprint = Fingerprints.EMPTY;
        String cursor = null;
        int pages = 0;
        do {
            ObjectNode request = context.json().object();
            request.put("jsonrpc", "2.0").put("id", "agw-relist-" + pages).put("method", kind.method);
            if (cursor != null) {
                request.putObject("params").put("cursor", cursor);
            }
            ObjectNode response = ask(session, target, request, null, caller);
            if (JsonRpc.isError(response)) {
                return response.path("error").path("code").asInt() == JsonRpc.METHOD_NOT_FOUND && pages == 0 ? Fingerprints.EMPTY : null;
            }
            JsonNode result = response.path("result");
            for (JsonNode item : result.path(kind.items)) {
                ObjectNode shown = shown(kind, target, item, visibility, views, null);
                if (shown != null) {
                    fingerprint += Fingerprints.of(shown.toString());
                }
            }
            cursor = result.get("nextCursor") instanceof JsonNode next && next.isTextual() && !next.asText().isEmpty()
                    ? next.asText() : null;
        } while (cursor != null && ++pages < MAX_RELIST_PAGES);
        return fingerprint;
    }

    private ObjectNode merge(DownstreamSession session, ListKind kind, Map<String, ObjectNode> results, Visibility visibility,
                             boolean firstPage) {
        Naming naming = context.naming();
        ObjectNode merged;
        boolean single = context.targets().size() == 1;
        if (single && results.size() == 1 && results.values().iterator().next() != null) {
            merged = results.values().iterator().next().deepCopy();
        } else {
            merged = context.json().object();
        }
        ArrayNode items = merged.putArray(kind.items);
        Map<String, String> nextCursors = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        CallerViews views = CallerViews.of(context.settings().toolViews(), visibility.principal(), context.json().mapper());
        // ALL is the gateway's own listing (to learn owners), not something a caller was shown
        boolean watching = visibility != Visibility.ALL && watching(visibility);
        for (Map.Entry<String, ObjectNode> entry : results.entrySet()) {
            ObjectNode result = entry.getValue();
            if (result == null) {
                continue;
            }
            if (result.get("nextCursor") instanceof JsonNode next && next.isTextual() && !next.asText().isEmpty()) {
                nextCursors.put(entry.getKey(), next.asText());
            }
            long fingerprint = Fingerprints.EMPTY;
            for (JsonNode item : result.path(kind.items)) {
                ObjectNode shown = shown(kind, entry.getKey(), item, visibility, views, counts);
                if (shown != null) {
                    items.add(shown);
                    fingerprint += watching ? Fingerprints.of(shown.toString()) : 0;
                }
            }
            if (watching) {
                session.views().served(kind, entry.getKey(), fingerprint, firstPage);
            }
        }
        if (naming.needsLookup()) {
            dropAmbiguous(session, kind, items, results, counts);
        }
        merged.remove("nextCursor");
        if (!nextCursors.isEmpty()) {
            merged.put("nextCursor", cursors.seal(kind.method, nextCursors));
        }
        return merged;
    }

    /** prefixMode never with several targets: remember who owns each name; drop names several targets offer. */
    private void dropAmbiguous(DownstreamSession session, ListKind kind, ArrayNode items, Map<String, ObjectNode> results,
                               Map<String, Integer> counts) {
        Map<String, String> owners = session.owners(kind.capability + ":" + kind.key);
        for (Map.Entry<String, ObjectNode> entry : results.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            for (JsonNode item : entry.getValue().path(kind.items)) {
                String name = item.path(kind.key).asText(null);
                if (name != null) {
                    owners.put(name, counts.getOrDefault(name, 1) > 1 ? "" : entry.getKey());
                }
            }
        }
        Iterator<JsonNode> iterator = items.iterator();
        while (iterator.hasNext()) {
            String name = iterator.next().path(kind.key).asText();
            if (counts.getOrDefault(name, 1) > 1) {
                iterator.remove();
                LOG.warn("{} '{}' is offered by several targets and is ambiguous without prefixes; dropped", kind.key, name);
            }
        }
    }
}
