package dev.agentgateway.mcp.internal.downstream;

import dev.agentgateway.core.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.Naming;
import dev.agentgateway.mcp.internal.upstream.UpstreamException;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;

/**
 * Serves a client request inside a session: lists fan out ({@link Lists}); calls, reads and completions
 * go to the target that owns the name or URI, rewritten to the target's own names; {@code ping} and
 * {@code logging/setLevel} are answered by the gateway. Returns the response with the client's id.
 */
public final class RequestRouter {
    private final McpContext context;
    private final Lists lists;

    public RequestRouter(McpContext context) {
        this.context = context;
        this.lists = new Lists(context);
    }

    /** Where a request goes: the target (or {@code "*"} for fan-out, {@code "gateway"} when answered locally). */
    public String targetOf(ObjectNode request) {
        String method = request.path("method").asText();
        if (ListKind.of(method) != null || method.equals("logging/setLevel")) {
            return "*";
        }
        Naming.Owned owned = owner(request);
        return owned == null ? "gateway" : owned.target();
    }

    public ObjectNode handle(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        JsonNode id = request.get("id");
        String method = request.path("method").asText();
        ListKind list = ListKind.of(method);
        if (list != null) {
            return lists.list(session, request, list, stream, caller);
        }
        return switch (method) {
            case "ping" -> JsonRpc.result(id, context.json().object());
            case "initialize" -> JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "The session is already initialized");
            case "logging/setLevel" -> setLevel(session, request, caller);
            case "tools/call", "prompts/get", "resources/read", "resources/subscribe", "resources/unsubscribe",
                 "completion/complete" -> route(session, request, stream, caller);
            default -> JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
        };
    }

    private ObjectNode route(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        JsonNode id = request.get("id");
        String method = request.path("method").asText();
        ObjectNode params = JsonRpc.params(request);
        if (params == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, method + " needs params");
        }
        Naming.Owned owned = owner(request);
        if (owned == null && context.naming().needsLookup()) {
            owned = lookup(session, request, stream, caller);
        }
        if (method.equals("tools/call")) {
            String name = params.path("name").asText(null);
            if (name == null) {
                return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "tools/call needs a tool name");
            }
            if (owned == null || !context.settings().toolFilter().permits(name)) {
                return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown tool: " + name);
            }
        }
        if (owned == null) {
            return switch (method) {
                case "prompts/get" -> JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown prompt: " + params.path("name").asText());
                case "completion/complete" -> JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown reference: " + params.path("ref"));
                default -> context.naming().needsLookup() ? tryEveryTarget(session, request, stream, caller)
                        : JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Unknown resource: " + params.path("uri").asText());
            };
        }
        ObjectNode upstreamRequest = request.deepCopy();
        rename(upstreamRequest, owned.name());
        ObjectNode response = session.forward(owned.target(), upstreamRequest, stream, caller);
        if (!JsonRpc.isError(response)) {
            afterSuccess(session, owned, method, response);
        }
        return response;
    }

    /** prefixMode never, a URI no list named: the first target that can read it wins. */
    private ObjectNode tryEveryTarget(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        ObjectNode last = null;
        for (String target : context.targets().keySet()) {
            ObjectNode response = session.forward(target, request, stream, caller);
            if (!JsonRpc.isError(response)) {
                afterSuccess(session, new Naming.Owned(target, request.path("params").path("uri").asText()),
                        request.path("method").asText(), response);
                return response;
            }
            last = response;
        }
        return last != null ? last : JsonRpc.error(request.get("id"), JsonRpc.INVALID_PARAMS,
                "Unknown resource: " + request.path("params").path("uri").asText());
    }

    private void afterSuccess(DownstreamSession session, Naming.Owned owned, String method, ObjectNode response) {
        switch (method) {
            case "resources/subscribe", "resources/unsubscribe" -> {
                UpstreamSession upstream = session.startedUpstreams().get(owned.target());
                if (upstream != null) {
                    upstream.subscribed(owned.name(), method.equals("resources/subscribe"));
                }
            }
            case "resources/read" -> {
                for (JsonNode content : response.path("result").path("contents")) {
                    prefixUri(owned.target(), content);
                }
            }
            case "tools/call" -> prefixContentUris(owned.target(), response.path("result").path("content"));
            case "prompts/get" -> {
                for (JsonNode message : response.path("result").path("messages")) {
                    prefixContentUris(owned.target(), List.of(message.path("content")));
                }
            }
            default -> {
            }
        }
    }

    /**
     * Resource links and embedded resources in results name URIs a client may read next: give them the
     * target prefix, so that reading them routes back to the same target.
     */
    private void prefixContentUris(String target, Iterable<JsonNode> blocks) {
        if (!context.naming().prefixing()) {
            return;
        }
        for (JsonNode block : blocks) {
            switch (block.path("type").asText()) {
                case "resource_link" -> prefixUri(target, block);
                case "resource" -> prefixUri(target, block.path("resource"));
                default -> {
                }
            }
        }
    }

    private void prefixUri(String target, JsonNode holder) {
        if (context.naming().prefixing() && holder instanceof ObjectNode object && object.get("uri") instanceof TextNode uri) {
            object.put("uri", context.naming().uri(target, uri.asText()));
        }
    }

    /** The owner named by the request's tool/prompt name, resource URI or completion reference. */
    private Naming.Owned owner(ObjectNode request) {
        ObjectNode params = JsonRpc.params(request);
        if (params == null) {
            return null;
        }
        Naming naming = context.naming();
        return switch (request.path("method").asText()) {
            case "tools/call", "prompts/get" -> naming.resolveName(params.path("name").asText(null));
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> naming.resolveUri(params.path("uri").asText(null));
            case "completion/complete" -> {
                JsonNode ref = params.path("ref");
                yield switch (ref.path("type").asText()) {
                    case "ref/prompt" -> naming.resolveName(ref.path("name").asText(null));
                    case "ref/resource" -> naming.resolveUri(ref.path("uri").asText(null));
                    default -> null;
                };
            }
            default -> null;
        };
    }

    /** prefixMode never with several targets: find the owner from the last listing, listing again if needed. */
    private Naming.Owned lookup(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        ObjectNode params = JsonRpc.params(request);
        String method = request.path("method").asText();
        ListKind kind;
        String name;
        switch (method) {
            case "tools/call" -> {
                kind = ListKind.TOOLS;
                name = params.path("name").asText(null);
            }
            case "prompts/get" -> {
                kind = ListKind.PROMPTS;
                name = params.path("name").asText(null);
            }
            case "completion/complete" -> {
                boolean prompt = params.path("ref").path("type").asText().equals("ref/prompt");
                kind = prompt ? ListKind.PROMPTS : ListKind.RESOURCE_TEMPLATES;
                name = prompt ? params.path("ref").path("name").asText(null) : params.path("ref").path("uri").asText(null);
            }
            default -> {
                kind = ListKind.RESOURCES;
                name = params.path("uri").asText(null);
            }
        }
        if (name == null) {
            return null;
        }
        Map<String, String> owners = session.owners(kind.capability + ":" + kind.key);
        String owner = owners.get(name);
        if (owner == null) {
            ObjectNode listing = JsonRpc.request(TextNode.valueOf("agw-lookup"), kind.method, null);
            lists.list(session, listing, kind, stream, caller);
            owner = owners.get(name);
        }
        return owner == null || owner.isEmpty() ? null : new Naming.Owned(owner, name);
    }

    /** Puts the target's own name or URI back into the request. */
    private static void rename(ObjectNode request, String name) {
        ObjectNode params = (ObjectNode) request.get("params");
        switch (request.path("method").asText()) {
            case "tools/call", "prompts/get" -> params.put("name", name);
            case "completion/complete" -> {
                ObjectNode ref = (ObjectNode) params.get("ref");
                ref.put(ref.path("type").asText().equals("ref/prompt") ? "name" : "uri", name);
            }
            default -> params.put("uri", name);
        }
    }

    /** {@code logging/setLevel}: every upstream session gets the level; the gateway answers {@code {}}. */
    private ObjectNode setLevel(DownstreamSession session, ObjectNode request, Caller caller) {
        JsonNode id = request.get("id");
        ObjectNode params = JsonRpc.params(request);
        String level = params == null ? null : params.path("level").asText(null);
        if (level == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "logging/setLevel needs a level");
        }
        session.logLevel(level);
        List<CompletableFuture<ObjectNode>> sent = new ArrayList<>();
        for (String target : context.targets().keySet()) {
            sent.add(CompletableFuture.supplyAsync(() -> {
                try {
                    UpstreamSession upstream = session.upstream(target);
                    upstream.logLevel(level);
                    return upstream.call(request, null, caller).response().join();
                } catch (UpstreamException e) {
                    return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, e.getMessage());
                }
            }, context.executor()));
        }
        for (CompletableFuture<ObjectNode> answer : sent) {
            answer.join(); // targets without logging answer -32601; the level still applies to the others
        }
        return JsonRpc.result(id, context.json().object());
    }
}
