package dev.agentgateway.mcp.internal.modern;

import dev.agentgateway.mcp.internal.ParamHeaders;
import dev.agentgateway.mcp.internal.ModernMeta;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import dev.agentgateway.mcp.internal.SseResponses;
import dev.agentgateway.mcp.internal.TaskFields;
import dev.agentgateway.mcp.internal.downstream.DownstreamSession;
import dev.agentgateway.mcp.internal.downstream.Initializer;
import dev.agentgateway.mcp.internal.downstream.RequestRouter;
import dev.agentgateway.mcp.internal.downstream.RequestRunner;
import dev.agentgateway.mcp.internal.downstream.SessionOwner;
import dev.agentgateway.mcp.internal.downstream.Visibility;
import org.eclipse.jetty.http.HttpFields;

/**
 * The modern (2026-07-28) face of the MCP endpoint: stateless requests, each carrying its protocol
 * version, client capabilities and info in {@code _meta} and mirrored in headers. The gateway checks
 * them, serves the request in a gateway-held session of the caller ({@link StatelessSessions}) with the
 * same federation, naming and policies as legacy sessions, and answers in modern shape. When a legacy
 * target asks the client something during a call (sampling, elicitation, roots), the modern client
 * gets an {@code input_required} result and the call waits for its retry ({@link InputRounds}).
 * {@code server/discover} answers the federated view; {@code subscriptions/listen} streams list
 * changes and resource updates. Legacy clients keep working on the same endpoint.
 */
public final class ModernFace implements AutoCloseable {
    private static final long KEEP_ALIVE_MILLIS = 25_000;
    private static final int MAX_LIST_PAGES = 100;

    private final McpContext context;
    private final RequestRouter router;
    private final RequestRunner runner;
    private final StatelessSessions sessions;
    private final InputRounds rounds;
    private final ModernTasks tasks;
    private final AtomicLong counter = new AtomicLong();

    /** One call being relayed to the client: where its messages come from and what the client asked. */
    private record Call(StatelessContext owner, RoundStream stream, String callId, ModernRequest request, String principal,
                        InputRounds.Round round) {
        Call withRound(InputRounds.Round next) {
            return new Call(owner, stream, callId, request, principal, next);
        }

        /** What a round's state is bound to; computed only when a call asks for input or presents a state. */
        String digest() {
            return Canonical.requestDigest(request.method(), request.params());
        }
    }

    public ModernFace(McpContext context, RequestRouter router, RequestRunner runner, Initializer initializer) {
        this.context = context;
        this.router = router;
        this.runner = runner;
        this.sessions = new StatelessSessions(context, initializer);
        this.rounds = new InputRounds(context);
        this.tasks = new ModernTasks(context, router);
    }

    /** Whether a POSTed message belongs on this face (see {@link ModernRequest#isModern}). */
    public static boolean accepts(ObjectNode message, HttpFields headers) {
        return ModernRequest.isModern(message, headers);
    }

    /** Serves a POSTed message of the modern era. */
    public Response post(Exchange exchange, ObjectNode message, JsonRpc.Kind kind, Visibility visibility) throws InterruptedException {
        if (kind == JsonRpc.Kind.RESPONSE) {
            return json(400, JsonRpc.error(message.get("id"), JsonRpc.INVALID_REQUEST,
                    "Invalid Request: clients send no responses in the 2026-07-28 revision (answers travel in inputResponses)"));
        }
        if (kind == JsonRpc.Kind.NOTIFICATION) {
            return Response.of(202); // the modern era defines no client notifications over HTTP: accepted and dropped
        }
        Object checked = ModernRequest.check(message, exchange.requestHeaders());
        if (checked instanceof ModernRequest.Refusal refusal) {
            return json(refusal.status(), refusal.error());
        }
        ModernRequest request = (ModernRequest) checked;
        String method = request.method();
        if (!ModernMeta.METHODS.contains(method)) {
            return json(404, JsonRpc.error(request.id(), JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method));
        }
        if (request.logLevel() != null && !StatelessContext.knownLevel(request.logLevel())) {
            return json(400, JsonRpc.error(request.id(), JsonRpc.INVALID_PARAMS, "Invalid params: unknown log level '"
                    + request.logLevel() + "'"));
        }
        Caller caller = Caller.of(exchange);
        if (ModernTasks.METHODS.contains(method)) {
            // a task belongs to its creator, not to one set of capabilities: no context is needed to find it
            if (!ModernTasks.declared(request)) {
                return json(400, tasks.missingExtension(request.id(), method));
            }
            return json(200, ModernResults.complete(method, tasks.handle(request, SessionOwner.of(exchange.principal()), caller),
                    context.settings()));
        }
        StatelessContext owner;
        try {
            owner = sessions.acquire(exchange.principal(), caller, request.capabilities(), request.clientInfo());
        } catch (StatelessSessions.ContextFailed e) {
            return json(200, JsonRpc.error(request.id(), JsonRpc.INTERNAL_ERROR, e.getMessage()));
        }
        return switch (method) {
            case "server/discover" -> json(200, discover(owner, request));
            case "subscriptions/listen" -> listen(owner, request, caller, visibility);
            default -> call(exchange, owner, request, caller, visibility);
        };
    }

    // ---- server/discover -------------------------------------------------------------------------------

    private ObjectNode discover(StatelessContext owner, ModernRequest request) {
        ObjectNode initialized = owner.initializeResult();
        ObjectNode result = context.json().object();
        result.put("resultType", "complete");
        ArrayNode versions = result.putArray("supportedVersions");
        ProtocolVersions.ALL_NEWEST_FIRST.forEach(versions::add);
        ObjectNode capabilities = initialized.path("capabilities").deepCopy();
        // this era's tasks are an extension: served by the gateway over legacy targets' tasks, modern targets' passed through
        ModernTasks.advertise(capabilities, capabilities.remove("tasks"), owner);
        result.set("capabilities", capabilities);
        if (initialized.get("instructions") instanceof TextNode instructions) {
            result.set("instructions", instructions);
        }
        return ModernResults.complete("server/discover", JsonRpc.result(request.id(), result), context.settings());
    }

    // ---- calls and lists -------------------------------------------------------------------------------

    private Response call(Exchange exchange, StatelessContext owner, ModernRequest request, Caller caller, Visibility visibility)
            throws InterruptedException {
        String method = request.method();
        ObjectNode params = request.params();
        String principal = SessionOwner.of(exchange.principal());
        JsonNode state = params == null ? null : params.get("requestState");
        if (state != null) {
            if (!ModernMeta.INPUT_METHODS.contains(method) || !state.isTextual()) {
                return json(200, invalidState(request, "requestState belongs only to tools/call, prompts/get and resources/read"));
            }
            Object taken = rounds.take(state.asText(), principal, Canonical.requestDigest(method, params));
            if (taken instanceof String reason) {
                return json(200, invalidState(request, reason));
            }
            InputRounds.Round round = (InputRounds.Round) taken;
            Call call = new Call(owner, round.stream, round.callId, request, principal, round);
            answer(call, params.get("inputResponses"), caller);
            if (!round.asked.isEmpty()) {
                return json(200, inputRequired(call)); // answers missing: ask again for what is still open
            }
            return relay(call);
        }
        boolean asTask = false;
        if ("tools/call".equals(method)) {
            String mismatch = paramHeaderMismatch(owner, request, exchange.requestHeaders(), caller, visibility);
            if (mismatch != null) {
                return json(400, JsonRpc.error(request.id(), ModernMeta.HEADER_MISMATCH, "Header mismatch: " + mismatch));
            }
            // the server decides whether a call becomes a task (SEP-2663): when the tool supports it and the client can follow
            String support = owner.taskSupport(params.path("name").asText());
            boolean declared = ModernTasks.declared(request);
            if ("required".equals(support) && !declared) {
                return json(400, tasks.missingExtension(request.id(), "tool " + params.path("name").asText()));
            }
            asTask = declared && !"forbidden".equals(support);
        }
        if (request.logLevel() != null && owner.needsLevel(request.logLevel())) {
            setUpstreamLevel(owner, request.logLevel(), caller);
        }
        String callId = "agw-m" + Long.toString(counter.incrementAndGet(), 36);
        RoundStream stream = new RoundStream();
        ObjectNode upstream = upstreamRequest(request, callId);
        if (asTask) {
            ((ObjectNode) upstream.get("params")).putObject("task");
        }
        runner.run(owner.session(), upstream, stream, caller, visibility);
        return relay(new Call(owner, stream, callId, request, principal, null));
    }

    /** The request as the legacy machinery serves it: the gateway's call id, no modern client metadata, no MRTR fields. */
    static ObjectNode upstreamRequest(ModernRequest request, String callId) {
        ObjectNode copy = forwardable(request, callId);
        if (copy.get("params") instanceof ObjectNode params) {
            // a legacy client's task hint is tolerated but not followed: the gateway decides (SEP-2663)
            params.remove(List.of("inputResponses", "requestState", "task"));
        }
        return copy;
    }

    /** The request under the gateway's {@code id}, without the {@code _meta} keys that describe the client to the gateway. */
    static ObjectNode forwardable(ModernRequest request, String id) {
        ObjectNode copy = request.message().deepCopy();
        copy.put("id", id);
        if (copy.get("params") instanceof ObjectNode params && params.get("_meta") instanceof ObjectNode meta) {
            meta.remove(ModernMeta.CLIENT_KEYS);
            if (meta.isEmpty()) {
                params.remove("_meta");
            }
        }
        return copy;
    }

    /**
     * Relays the call's messages until it answers or asks for input: plain JSON when nothing the client
     * wants comes before that, else an event stream of the related notifications, then the answer.
     * Closing that stream cancels the call, as the spec says.
     */
    private Response relay(Call call) throws InterruptedException {
        while (true) {
            ObjectNode message = call.stream().next(KEEP_ALIVE_MILLIS);
            if (message == null) {
                continue;
            }
            Object outcome = outcome(call, message);
            if (outcome instanceof ObjectNode last) {
                return json(statusOf(last), last);
            }
            if (outcome instanceof Call next) {
                call = next;
                continue;
            }
            if (outcome == null) {
                continue;
            }
            String first = (String) outcome;
            Call relayed = call;
            return SseResponses.of(sink -> stream(relayed, first, sink));
        }
    }

    private void stream(Call call, String first, Body.Sink sink) throws IOException, InterruptedException {
        try {
            sink.write(first);
            while (true) {
                ObjectNode message = call.stream().next(KEEP_ALIVE_MILLIS);
                if (message == null) {
                    sink.write(": keep-alive\n\n");
                    continue;
                }
                Object outcome = outcome(call, message);
                if (outcome instanceof ObjectNode last) {
                    sink.write(event(last));
                    return;
                }
                if (outcome instanceof Call next) {
                    call = next;
                } else if (outcome instanceof String event) {
                    sink.write(event);
                }
            }
        } catch (IOException e) {
            // the client closed the stream: that cancels the call
            if (call.round() != null) {
                rounds.done(call.round());
            }
            rounds.cancel(call.owner(), call.callId(), "the client closed the stream");
            throw e;
        }
    }

    /**
     * What one message of the call means for the client: the final answer (an {@link ObjectNode}), an SSE
     * event to write (a {@link String}), nothing ({@code null}), or a changed call (a {@link Call}: a
     * round was opened and the input request is to be answered).
     */
    private Object outcome(Call call, ObjectNode message) {
        switch (JsonRpc.kind(message)) {
            case RESPONSE -> {
                if (call.round() != null) {
                    rounds.done(call.round());
                }
                message.set("id", call.request().id());
                if ("tools/call".equals(call.request().method()) && message.get("result") instanceof ObjectNode result) {
                    if (result.get("task") instanceof ObjectNode) {
                        message.set("result", tasks.created(call.owner(), call.principal(), result));
                    } else if (TaskFields.isFlat(result)) {
                        tasks.forwarded(call.owner(), call.principal(), result);
                    }
                }
                return ModernResults.complete(call.request().method(), message, context.settings());
            }
            case REQUEST -> {
                return askClient(call, message);
            }
            default -> {
                return relayedNotification(call, message);
            }
        }
    }

    /**
     * The HTTP status of a final answer sent as JSON: the modern era's request-level refusals (a target's
     * {@code -32021} for a capability the client did not declare, say) are 400, as the target sent them.
     */
    private static int statusOf(ObjectNode response) {
        int code = response.path("error").path("code").asInt(0);
        return code == ModernMeta.HEADER_MISMATCH || code == ModernMeta.MISSING_CLIENT_CAPABILITY
                || code == ModernMeta.UNSUPPORTED_PROTOCOL_VERSION ? 400 : 200;
    }

    /** A request the target makes of the client during the call: an MRTR input request, or refused at once. */
    private Object askClient(Call call, ObjectNode request) {
        String method = request.path("method").asText();
        DownstreamSession session = call.owner().session();
        if ("ping".equals(method)) {
            session.fromClientResponse(JsonRpc.result(request.get("id"), context.json().object()), session.caller());
            return null;
        }
        if (!ModernMeta.INPUT_REQUESTS.contains(method) || !ModernMeta.INPUT_METHODS.contains(call.request().method())) {
            session.fromClientResponse(JsonRpc.error(request.get("id"), JsonRpc.METHOD_NOT_FOUND,
                    "The client cannot be asked " + method + " during " + call.request().method()), session.caller());
            return null;
        }
        InputRounds.Round round = call.round() != null ? call.round()
                : rounds.open(call.owner(), call.stream(), call.callId(), call.principal(), call.digest());
        Call asking = call.withRound(round);
        ask(call.owner(), round, request);
        // requests the target sent together are asked together
        for (ObjectNode more = call.stream().nextRequestIfQueued(); more != null; more = call.stream().nextRequestIfQueued()) {
            if (ModernMeta.INPUT_REQUESTS.contains(more.path("method").asText())) {
                ask(call.owner(), round, more);
            } else {
                askClient(asking, more);
            }
        }
        return inputRequired(asking);
    }

    /**
     * Adds a request the target made to the round, under the key a modern target gave it (so a modern
     * client sees the target's own keys) or else the id the session forwarded it under.
     */
    private void ask(StatelessContext owner, InputRounds.Round round, ObjectNode request) {
        ObjectNode input = context.json().object();
        input.put("method", request.path("method").asText());
        input.set("params", request.has("params") ? request.get("params") : context.json().object());
        String forwarded = request.get("id").asText();
        String key = owner.session().inputKeyOf(forwarded);
        if (key == null || round.asked.containsKey(key)) {
            key = forwarded;
        }
        round.asked.put(key, input);
        round.forwardedAs.put(key, forwarded);
    }

    /** The {@code input_required} result of a call whose round has open requests. */
    private ObjectNode inputRequired(Call call) {
        InputRounds.Round round = call.round();
        ObjectNode result = context.json().object();
        result.put("resultType", "input_required");
        ObjectNode requests = result.putObject("inputRequests");
        round.asked.forEach(requests::set);
        result.put("requestState", rounds.state(round));
        ModernResults.serverInfo(result, context.settings());
        return JsonRpc.result(call.request().id(), result);
    }

    /** Hands the client's answers to the target's waiting requests; answers to requests not asked are ignored. */
    private static void answer(Call call, JsonNode responses, Caller caller) {
        InputRounds.Round round = call.round();
        DownstreamSession session = call.owner().session();
        if (!(responses instanceof ObjectNode answers)) {
            return;
        }
        for (String key : new ArrayList<>(round.asked.keySet())) {
            JsonNode answer = answers.get(key);
            if (answer instanceof ObjectNode result) {
                round.asked.remove(key);
                String forwarded = round.forwardedAs.remove(key);
                session.fromClientResponse(JsonRpc.result(TextNode.valueOf(forwarded), result), caller);
            }
        }
    }

    /** The SSE event for a notification the client wants (progress; log messages at or above its level), else {@code null}. */
    private String relayedNotification(Call call, ObjectNode notification) {
        String method = notification.path("method").asText();
        boolean wanted = switch (method) {
            case "notifications/progress" -> true;
            case "notifications/message" -> StatelessContext.passes(notification.path("params").path("level").asText(),
                    call.request().logLevel());
            default -> false; // request-scoped streams carry only progress and log messages
        };
        return wanted ? event(notification) : null;
    }

    private ObjectNode invalidState(ModernRequest request, String reason) {
        ObjectNode data = context.json().object();
        data.put("reason", "invalid_request_state");
        return JsonRpc.error(request.id(), JsonRpc.INVALID_PARAMS, "Invalid or expired requestState: " + reason, data);
    }

    /** Sets the upstreams' log level so that {@code level} reaches the requests that ask for it. */
    private void setUpstreamLevel(StatelessContext owner, String level, Caller caller) {
        ObjectNode request = JsonRpc.request(TextNode.valueOf("agw-level"), "logging/setLevel",
                context.json().object().put("level", level));
        router.handle(owner.session(), request, new RoundStream(), caller, Visibility.ALL);
        owner.upstreamLevel(level);
    }

    /** Checks the {@code Mcp-Param-*} headers of a tools/call against the tool's annotated arguments. */
    private String paramHeaderMismatch(StatelessContext owner, ModernRequest request, HttpFields headers, Caller caller,
                                       Visibility visibility) {
        ParamHeaders annotations = owner.paramHeaders();
        if (annotations == null) {
            List<JsonNode> tools = allTools(owner, caller, visibility);
            Map<String, String> taskSupport = new HashMap<>();
            for (JsonNode tool : tools) {
                if (tool.path("execution").path("taskSupport").isTextual()) {
                    taskSupport.put(tool.path("name").asText(), tool.path("execution").path("taskSupport").asText());
                }
            }
            annotations = ParamHeaders.of(tools);
            owner.paramHeaders(annotations, taskSupport);
        }
        ObjectNode params = request.params();
        return annotations.mismatch(params.path("name").asText(), params.get("arguments"), headers);
    }

    private List<JsonNode> allTools(StatelessContext owner, Caller caller, Visibility visibility) {
        List<JsonNode> tools = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ObjectNode params = context.json().object();
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ObjectNode response = router.handle(owner.session(), JsonRpc.request(TextNode.valueOf("agw-tools"), "tools/list", params),
                    new RoundStream(), caller, visibility);
            JsonNode result = response.path("result");
            result.path("tools").forEach(tools::add);
            cursor = result.path("nextCursor").isTextual() ? result.path("nextCursor").asText() : null;
        } while (cursor != null && ++pages < MAX_LIST_PAGES);
        return tools;
    }

    // ---- subscriptions/listen --------------------------------------------------------------------------

    private Response listen(StatelessContext owner, ModernRequest request, Caller caller, Visibility visibility) {
        JsonNode asked = request.params().path("notifications");
        JsonNode offered = owner.initializeResult().path("capabilities");
        boolean tools = asked.path("toolsListChanged").asBoolean(false) && offered.has("tools");
        boolean prompts = asked.path("promptsListChanged").asBoolean(false) && offered.has("prompts");
        boolean resources = asked.path("resourcesListChanged").asBoolean(false) && offered.has("resources");
        Set<String> uris = new LinkedHashSet<>();
        if (offered.path("resources").path("subscribe").asBoolean(false)) {
            for (JsonNode uri : asked.path("resourceSubscriptions")) {
                if (uri.isTextual() && subscribe(owner, uri.asText(), caller, visibility)) {
                    uris.add(uri.asText());
                }
            }
        }
        Subscription subscription = new Subscription(request.id(), tools, prompts, resources, uris);
        ObjectNode granted = context.json().object();
        granted.put("toolsListChanged", tools);
        granted.put("promptsListChanged", prompts);
        granted.put("resourcesListChanged", resources);
        ArrayNode grantedUris = granted.putArray("resourceSubscriptions");
        uris.forEach(grantedUris::add);
        ObjectNode params = context.json().object();
        params.set("notifications", granted);
        params.putObject("_meta").set(ModernMeta.SUBSCRIPTION_ID, request.id());
        ObjectNode acknowledged = JsonRpc.notification("notifications/subscriptions/acknowledged", params);
        owner.add(subscription);
        DownstreamSession session = owner.session();
        session.listenUpstreams();
        session.enter();
        return SseResponses.of(sink -> {
            try {
                sink.write(event(acknowledged));
                while (true) {
                    ObjectNode message = subscription.queue().next(KEEP_ALIVE_MILLIS);
                    if (message == null) {
                        sink.write(": keep-alive\n\n");
                    } else if (message.isEmpty()) {
                        ObjectNode result = context.json().object();
                        result.put("resultType", "complete");
                        result.putObject("_meta").set(ModernMeta.SUBSCRIPTION_ID, request.id());
                        sink.write(event(JsonRpc.result(request.id(), result)));
                        return;
                    } else {
                        sink.write(event(message));
                    }
                }
            } finally {
                owner.remove(subscription);
                session.exit();
                for (String uri : subscription.uris()) {
                    if (owner.unwatch(uri)) {
                        resourceRequest(owner, "resources/unsubscribe", uri, caller, Visibility.ALL);
                    }
                }
            }
        });
    }

    /** Holds an upstream subscription to {@code uri} for a listen stream; false when the target refused it. */
    private boolean subscribe(StatelessContext owner, String uri, Caller caller, Visibility visibility) {
        if (!owner.watch(uri)) {
            return true;
        }
        boolean ok = !JsonRpc.isError(resourceRequest(owner, "resources/subscribe", uri, caller, visibility));
        if (!ok) {
            owner.unwatch(uri);
        }
        return ok;
    }

    private ObjectNode resourceRequest(StatelessContext owner, String method, String uri, Caller caller, Visibility visibility) {
        ObjectNode request = JsonRpc.request(TextNode.valueOf("agw-sub"), method, context.json().object().put("uri", uri));
        return router.handle(owner.session(), request, new RoundStream(), caller, visibility);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private String event(ObjectNode message) {
        return "event: message\ndata: " + context.json().write(message) + "\n\n";
    }

    private Response json(int status, ObjectNode body) {
        return Response.json(status, context.json().write(body));
    }

    /** Ends the open listen streams (each with its final response), so a drain does not wait for them. */
    public void drain() {
        sessions.endSubscriptions();
    }

    @Override
    public void close() {
        tasks.close();
        rounds.close();
        sessions.close();
    }
}
