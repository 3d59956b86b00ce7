package dev.agentgateway.mcp.internal.downstream;

import dev.agentgateway.core.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.Naming;
import dev.agentgateway.mcp.internal.TaskFields;
import dev.agentgateway.mcp.internal.upstream.UpstreamException;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;

/**
 * Serves a client request inside a session: lists fan out ({@link Lists}); calls, reads and completions
 * go to the target that owns the name or URI, rewritten to the target's own names; {@code ping} and
 * {@code logging/setLevel} are answered by the gateway; tasks go to the target that created them
 * ({@link Tasks}). Returns the response with the client's id.
 * An item the caller's {@link Visibility} refuses is answered exactly as one that does not exist, and
 * never reaches the upstream.
 */
public final class RequestRouter {
    private final McpContext context;
    private final Lists lists;
    private final Tasks tasks;

    public RequestRouter(McpContext context) {
        this.context = context;
        this.lists = new Lists(context);
        this.tasks = new Tasks(context, this);
    }

    /** Where a request goes: the target (or {@code "*"} for fan-out, {@code "gateway"} when answered locally). */
    public String targetOf(ObjectNode request) {
        String method = request.path("method").asText();
        if (ListKind.of(method) != null || method.equals("logging/setLevel")) {
            return "*";
        }
        if (Tasks.METHODS.contains(method)) {
            return tasks.targetOf(request);
        }
        Naming.Owned owned = owner(request);
        return owned == null ? "gateway" : owned.target();
    }

    /** The methods that name one tool, prompt or resource: answered as unknown when the caller may not see it. */
    public static final Set<String> ITEM_METHODS = Set.of("tools/call", "prompts/get", "resources/read",
            "resources/subscribe", "resources/unsubscribe", "completion/complete");

    public ObjectNode handle(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller,
                             Visibility visibility) {
        JsonNode id = request.get("id");
        String method = request.path("method").asText();
        session.views().saw(visibility);
        ListKind list = ListKind.of(method);
        if (list != null) {
            return lists.list(session, request, list, stream, caller, visibility);
        }
        if (ITEM_METHODS.contains(method)) {
            return route(session, request, stream, caller, visibility);
        }
        if (Tasks.METHODS.contains(method)) {
            return tasks.handle(session, request, stream, caller);
        }
        return switch (method) {
            case "ping" -> JsonRpc.result(id, context.json().object());
            case "initialize" -> JsonRpc.error(id, JsonRpc.INVALID_REQUEST, "The session is already initialized");
            case "logging/setLevel" -> setLevel(session, request, caller);
            default -> JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
        };
    }

    private ObjectNode route(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller,
                             Visibility visibility) {
        JsonNode id = request.get("id");
        String method = request.path("method").asText();
        ObjectNode params = JsonRpc.params(request);
        if (params == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, method + " needs params");
        }
        if (method.equals("tools/call") && params.path("name").asText(null) == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "tools/call needs a tool name");
        }
        if (visibility.itemHidden()) {
            return unknown(id, method, params); // a policy refused the item: no lookup, nothing upstream
        }
        String refusal = null;
        if (method.equals("tools/call")) {
            // from here on the request names the original tool, which the filter and the authorizer decide on
            CallerViews views = CallerViews.of(context.settings().toolViews(), visibility.principal(), context.json().mapper());
            String original = views.original(params.path("name").asText());
            if (original == null) {
                return unknown(id, method, params);
            }
            request = request.deepCopy();
            ((ObjectNode) request.get("params")).put("name", original);
            // fixed arguments are set before the authorizer sees the arguments; a refusal is told only if the tool is visible
            refusal = views.call(original, (ObjectNode) request.get("params"));
        }
        Naming.Owned owned = owner(request);
        if (owned == null && context.naming().needsLookup()) {
            owned = lookup(session, request, stream, caller);
        }
        if (method.equals("tools/call") && (owned == null || !context.settings().toolFilter().permits(itemName(request)))) {
            return unknown(id, method, params);
        }
        if (owned != null && !visible(request, owned, visibility)) {
            return unknown(id, method, params);
        }
        if (refusal != null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "Invalid arguments for tool " + params.path("name").asText() + ": " + refusal);
        }
        if (owned == null) {
            return !method.equals("prompts/get") && !method.equals("completion/complete") && context.naming().needsLookup()
                    ? tryEveryTarget(session, request, stream, caller, visibility) : unknown(id, method, params);
        }
        ObjectNode upstreamRequest = request.deepCopy();
        rename(upstreamRequest, owned.name());
        boolean bridgedTask = method.equals("tools/call") && params.get("task") instanceof ObjectNode && tasks.bridged(session, owned.target());
        if (bridgedTask) {
            // a legacy client's task on a modern target: the extension is declared for this call (LegacyTaskBridge)
            ((ObjectNode) upstreamRequest.get("params")).remove("task");
            LegacyTaskBridge.declareTasks(upstreamRequest);
        }
        ObjectNode response = session.forward(owned.target(), upstreamRequest, stream, caller);
        if (bridgedTask && response.get("result") instanceof ObjectNode result && TaskFields.isFlat(result)) {
            response.set("result", tasks.bridge().nest(session, owned.target(), result));
        }
        if (!JsonRpc.isError(response)) {
            afterSuccess(session, owned, method, response);
        }
        return response;
    }

    /** The answer to a request naming a tool, prompt, resource or reference that does not exist. */
    private static ObjectNode unknown(JsonNode id, String method, ObjectNode params) {
        String message = switch (method) {
            case "tools/call" -> "Unknown tool: " + params.path("name").asText();
            case "prompts/get" -> "Unknown prompt: " + params.path("name").asText();
            case "completion/complete" -> "Unknown reference: " + params.path("ref");
            default -> "Unknown resource: " + params.path("uri").asText();
        };
        return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, message);
    }

    /** Whether the caller may use the item {@code request} names, owned by {@code owned}. */
    private boolean visible(ObjectNode request, Naming.Owned owned, Visibility visibility) {
        if (!visibility.asks()) {
            return true;
        }
        String method = request.path("method").asText();
        Map<String, Object> arguments = null;
        if (method.equals("tools/call") && request.path("params").get("arguments") instanceof ObjectNode args) {
            arguments = context.json().mapper().convertValue(args, Map.class);
        }
        return visibility.allows(itemKind(request), method, itemName(request), owned.target(), owned.name(), arguments);
    }

    /** prefixMode never, a URI no list named: the first target that can read it wins, among those the caller may ask. */
    private ObjectNode tryEveryTarget(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller,
                                      Visibility visibility) {
        ObjectNode last = null;
        String uri = request.path("params").path("uri").asText();
        for (String target : context.targets().keySet()) {
            if (!visible(request, new Naming.Owned(target, uri), visibility)) {
                continue;
            }
            ObjectNode response = session.forward(target, request, stream, caller);
            if (!JsonRpc.isError(response)) {
                afterSuccess(session, new Naming.Owned(target, uri), request.path("method").asText(), response);
                return response;
            }
            last = response;
        }
        return last != null ? last : JsonRpc.error(request.get("id"), JsonRpc.INVALID_PARAMS, "Unknown resource: " + uri);
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
            case "tools/call" -> {
                JsonNode result = response.path("result");
                if (Tasks.createsTask(result)) {
                    tasks.created(session, owned.target(), result); // the result comes later, from the task
                } else {
                    prefixContentUris(owned.target(), result.path("content"));
                }
            }
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
    void prefixContentUris(String target, Iterable<JsonNode> blocks) {
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

    /** The list that names the item of an item request: a completion's prompt or resource template, say. */
    private static ListKind itemKind(ObjectNode request) {
        return switch (request.path("method").asText()) {
            case "tools/call" -> ListKind.TOOLS;
            case "prompts/get" -> ListKind.PROMPTS;
            case "completion/complete" -> isPromptRef(request) ? ListKind.PROMPTS : ListKind.RESOURCE_TEMPLATES;
            default -> ListKind.RESOURCES;
        };
    }

    /** The item's name or URI as the client gives it, or {@code null}. */
    private static String itemName(ObjectNode request) {
        JsonNode params = request.path("params");
        return switch (request.path("method").asText()) {
            case "tools/call", "prompts/get" -> params.path("name").asText(null);
            case "completion/complete" -> isPromptRef(request) ? params.path("ref").path("name").asText(null)
                    : params.path("ref").path("uri").asText(null);
            default -> params.path("uri").asText(null);
        };
    }

    private static boolean isPromptRef(ObjectNode request) {
        return request.path("params").path("ref").path("type").asText().equals("ref/prompt");
    }

    /** prefixMode never with several targets: find the owner from the last listing, listing again if needed. */
    private Naming.Owned lookup(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller) {
        ListKind kind = itemKind(request);
        String name = itemName(request);
        if (name == null) {
            return null;
        }
        Map<String, String> owners = session.owners(kind.capability + ":" + kind.key);
        String owner = owners.get(name);
        if (owner == null) {
            // only to learn the owners, which do not depend on the caller: the merged answer is dropped
            ObjectNode listing = JsonRpc.request(TextNode.valueOf("agw-lookup"), kind.method, null);
            lists.list(session, listing, kind, stream, caller, Visibility.ALL);
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
