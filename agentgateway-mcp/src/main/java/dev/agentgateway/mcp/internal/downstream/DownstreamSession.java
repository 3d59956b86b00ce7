package dev.agentgateway.mcp.internal.downstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.Principal;
import dev.agentgateway.mcp.McpTarget;
import dev.agentgateway.mcp.StdioTarget;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import dev.agentgateway.mcp.internal.upstream.PendingCall;
import dev.agentgateway.mcp.internal.upstream.RelatedMessages;
import dev.agentgateway.mcp.internal.upstream.UpstreamException;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client session: the upstream session it owns per target (started at {@code initialize}, or on
 * first use when the session was resumed from its token), its event streams, and the maps that route
 * server-initiated traffic back: remapped ids of upstream requests, remapped progress tokens, and the
 * client requests in flight (for cancellation).
 */
public final class DownstreamSession {
    private static final Logger LOG = LoggerFactory.getLogger(DownstreamSession.class);
    /** Answered event streams kept for clients that resume one they believe they missed. */
    private static final int MAX_FINISHED_STREAMS = 8;

    private final McpContext context;
    private final boolean legacy;
    /** The {@link SessionOwner} fingerprint of the principal that created the session, or {@code null}. */
    private final String owner;
    private final AtomicLong counter = new AtomicLong();
    private final Map<String, CompletableFuture<UpstreamSession>> upstreams = new ConcurrentHashMap<>();
    private final Map<String, ServerRequest> serverRequests = new ConcurrentHashMap<>();
    /** Requests the gateway itself made of the client (a bridged task's input), by the id they were sent under. */
    private final Map<String, CompletableFuture<ObjectNode>> ownRequests = new ConcurrentHashMap<>();
    private final Map<String, ProgressRoute> progress = new ConcurrentHashMap<>();
    private final Map<JsonNode, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Map<String, EventStream> streams = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> owners = new ConcurrentHashMap<>();
    private volatile String id;
    private volatile SessionState state;
    private volatile EventStream listening;
    /** Whether the upstreams' streams of unrelated messages are open without a listening stream (stateless subscriptions). */
    private volatile boolean listeningUpstreams;
    private final ReentrantLock listeningLock = new ReentrantLock();
    private volatile long lastUsed = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;
    private volatile Caller caller = Caller.ANONYMOUS;
    private final ViewWatch views = new ViewWatch();
    private final TaskIds taskIds;
    private final BridgedTaskIds bridgedTasks = new BridgedTaskIds();
    /** Client requests the gateway answers itself over time (a bridged {@code tasks/result}): what cancels each. */
    private final Map<JsonNode, Runnable> cancellable = new ConcurrentHashMap<>();
    /** Where messages no request caused go instead of a listening stream (stateless modern contexts), or {@code null}. */
    private final java.util.function.Consumer<ObjectNode> unrelated;

    /** An upstream request forwarded to the client under a gateway id. */
    private record ServerRequest(String target, JsonNode originalId) {
    }

    /** Where the progress notifications of one forwarded request go. */
    private record ProgressRoute(JsonNode originalToken, MessageStream stream) {
    }

    /** A client request being served by one target. */
    private record InFlight(String target, long upstreamId) {
    }

    /** A session created by {@code principal} ({@code null}: an anonymous caller). */
    public DownstreamSession(McpContext context, boolean legacy, Principal principal) {
        this(context, legacy, SessionOwner.of(principal));
    }

    DownstreamSession(McpContext context, boolean legacy, String owner) {
        this(context, legacy, owner, null);
    }

    private DownstreamSession(McpContext context, boolean legacy, String owner, java.util.function.Consumer<ObjectNode> unrelated) {
        this.context = context;
        this.legacy = legacy;
        this.owner = owner;
        this.unrelated = unrelated;
        this.taskIds = new TaskIds(context.naming());
    }

    /**
     * A session no client holds, serving stateless (modern era) requests of one principal: it has no
     * listening stream, and the messages no request caused go to {@code unrelated} (subscriptions).
     */
    public static DownstreamSession stateless(McpContext context, Principal principal, java.util.function.Consumer<ObjectNode> unrelated) {
        return new DownstreamSession(context, false, SessionOwner.of(principal), java.util.Objects.requireNonNull(unrelated, "unrelated"));
    }

    public McpContext context() {
        return context;
    }

    public String id() {
        return id;
    }

    public void id(String id) {
        this.id = id;
    }

    public boolean legacy() {
        return legacy;
    }

    /** The fingerprint of the principal that created the session, or {@code null} when it was anonymous. */
    String owner() {
        return owner;
    }

    /** Whether {@code principal} ({@code null}: anonymous) is the caller that created this session. */
    public boolean belongsTo(Principal principal) {
        return java.util.Objects.equals(owner, SessionOwner.of(principal));
    }

    /** What the client said at initialize (and the upstream sessions a resumed token named). */
    public SessionState state() {
        return state;
    }

    void state(SessionState state) {
        this.state = state;
    }

    /** Which target serves each unprefixed name of a list kind (prefixMode never); {@code ""} marks an ambiguous name. */
    Map<String, String> owners(String kind) {
        return owners.computeIfAbsent(kind, k -> new ConcurrentHashMap<>());
    }

    /** The tasks this (legacy) session created on modern targets through the bridge. */
    BridgedTaskIds bridgedTasks() {
        return bridgedTasks;
    }

    /**
     * Runs {@code onCancel} if the client cancels its request {@code clientId} before the returned
     * registration is closed: for requests the gateway answers itself rather than an upstream.
     */
    Registration onCancelled(JsonNode clientId, Runnable onCancel) {
        cancellable.put(clientId, onCancel);
        return () -> cancellable.remove(clientId, onCancel);
    }

    /** A registration that ends when closed; closing throws nothing. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Records the level the client set, for upstreams that start later. */
    void logLevel(String level) {
        state = state.withLogLevel(level);
    }

    public boolean isClosed() {
        return closed;
    }

    public void touch() {
        lastUsed = System.nanoTime();
    }

    /**
     * Records the caller of a client request on this session: the upstream messages no request causes
     * (handshakes, GET streams, the closing DELETE) are sent with its credentials. All callers of one
     * session are the same principal ({@link #belongsTo}); only their tokens may differ (a refreshed one).
     */
    public void onBehalfOf(Caller caller) {
        this.caller = java.util.Objects.requireNonNull(caller, "caller");
    }

    /** The latest caller of this session. */
    public Caller caller() {
        return caller;
    }

    /** When a request or stream of the session last started ({@link System#nanoTime()}). */
    public long lastUsedNanos() {
        return lastUsed;
    }

    /** How long the session has been unused; 0 while a request or a stream of it is open. */
    public long idleNanos() {
        return busy.get() > 0 ? 0 : System.nanoTime() - lastUsed;
    }

    /** A request or stream of the session starts: the session is not idle until {@link #exit()}. */
    public void enter() {
        busy.incrementAndGet();
        touch();
    }

    public void exit() {
        touch();
        busy.decrementAndGet();
    }

    // ---- upstream sessions -----------------------------------------------------------------------------

    /** The upstream session of {@code target}, started (or resumed) on first use. */
    public UpstreamSession upstream(String target) throws UpstreamException {
        CompletableFuture<UpstreamSession> future = upstreams.get(target);
        if (future == null) {
            CompletableFuture<UpstreamSession> created = new CompletableFuture<>();
            future = upstreams.putIfAbsent(target, created);
            if (future == null) {
                future = created;
                try {
                    created.complete(startUpstream(target));
                } catch (UpstreamException | RuntimeException e) {
                    upstreams.remove(target, created);
                    created.completeExceptionally(e);
                }
            }
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UpstreamException upstream) {
                throw upstream;
            }
            throw new UpstreamException("target '" + target + "' failed to start: " + e.getCause(), e.getCause());
        }
    }

    /** The upstream sessions started so far, by target. */
    public Map<String, UpstreamSession> startedUpstreams() {
        Map<String, UpstreamSession> started = new java.util.LinkedHashMap<>();
        for (String target : context.targets().keySet()) {
            CompletableFuture<UpstreamSession> future = upstreams.get(target);
            if (future != null && future.isDone() && !future.isCompletedExceptionally()) {
                started.put(target, future.join());
            }
        }
        return started;
    }

    private UpstreamSession startUpstream(String name) throws UpstreamException {
        if (closed) {
            throw new UpstreamException("the session has ended", null);
        }
        McpTarget target = context.targets().get(name);
        java.time.Duration backoff = target instanceof StdioTarget stdio ? stdio.restartBackoff() : java.time.Duration.ofMillis(500);
        UpstreamSession session = new UpstreamSession(name, context.channel(target), target.requestTimeout(), backoff,
                context.scheduler(), context.metrics(), message -> fromServer(name, message, null), this::caller);
        SessionState current = state;
        ObjectNode params = context.json().object();
        params.put("protocolVersion", ProtocolVersions.LATEST);
        params.set("capabilities", current.clientCapabilities().deepCopy());
        params.set("clientInfo", current.clientInfo().deepCopy());
        SessionState.Upstream known = current.upstream(name);
        if (known != null) {
            session.resume(known.sessionId(), known.protocolVersion(), params);
        } else {
            session.start(params);
        }
        String level = current.logLevel();
        if (level != null) {
            // the client set a level before this upstream started: bring it in line
            session.logLevel(level);
            session.call(JsonRpc.request(null, "logging/setLevel", context.json().object().put("level", level)), null, null);
        }
        if (listening != null || listeningUpstreams) {
            session.listen();
        }
        return session;
    }

    // ---- streams ---------------------------------------------------------------------------------------

    /** A new event stream for the answer to one POSTed request (legacy sessions: the one SSE stream). */
    public MessageStream openRequestStream() {
        if (legacy) {
            return new ForwardingStream(listeningStream());
        }
        EventStream stream = new EventStream(Long.toString(counter.incrementAndGet(), 36), context.settings().eventBufferSize(),
                context.json(), false);
        prune();
        streams.put(stream.id(), stream);
        return stream;
    }

    /** Drops a stream that was answered with plain JSON: there is nothing to resume. */
    public void releaseAnsweredAsJson(EventStream stream) {
        streams.remove(stream.id(), stream);
    }

    /** Keeps at most {@link #MAX_FINISHED_STREAMS} answered streams, dropping the oldest. */
    private void prune() {
        List<EventStream> finished = new ArrayList<>();
        for (EventStream stream : streams.values()) {
            if (stream.isFinished()) {
                finished.add(stream);
            }
        }
        if (finished.size() < MAX_FINISHED_STREAMS) {
            return;
        }
        finished.sort(java.util.Comparator.comparingLong(stream -> Long.parseLong(stream.id(), 36)));
        for (EventStream stream : finished.subList(0, finished.size() - MAX_FINISHED_STREAMS + 1)) {
            streams.remove(stream.id(), stream);
        }
    }

    /** The stream a client resumes with this {@code Last-Event-ID}, or {@code null}. */
    public EventStream stream(String streamId) {
        if (listening != null && listening.id().equals(streamId)) {
            return listening;
        }
        return streams.get(streamId);
    }

    /** The stream for messages unrelated to any request (the GET stream; legacy: the SSE stream). */
    public EventStream listeningStream() {
        EventStream current = listening;
        if (current == null) {
            listeningLock.lock();
            try {
                current = listening;
                if (current == null) {
                    current = new EventStream("0", context.settings().eventBufferSize(), context.json(), legacy);
                    listening = current;
                    // Upstream streams of unrelated messages are opened when the client opens its own (GET,
                    // or the legacy SSE stream): an idle session holds no upstream connection.
                    for (UpstreamSession upstream : startedUpstreams().values()) {
                        upstream.listen();
                    }
                }
            } finally {
                listeningLock.unlock();
            }
        }
        return current;
    }

    /**
     * Opens every upstream's stream of unrelated messages (list changes, resource updates) for a session
     * without a listening stream, whose {@code unrelated} consumer wants them: a stateless session once a
     * client subscribes. They stay open until the session ends.
     */
    public void listenUpstreams() {
        listeningUpstreams = true;
        for (UpstreamSession upstream : startedUpstreams().values()) {
            upstream.listen();
        }
    }

    // ---- client -> upstream ----------------------------------------------------------------------------

    /**
     * Forwards a client request to {@code target} (already rewritten to the target's names) and waits for
     * the answer; returns it with the client's id restored. Related server messages go to {@code stream}.
     */
    public ObjectNode forward(String target, ObjectNode request, MessageStream stream, Caller caller) {
        JsonNode clientId = request.get("id");
        ObjectNode upstreamRequest = request.deepCopy();
        String token = remapProgressToken(upstreamRequest, stream);
        UpstreamSession upstream;
        try {
            upstream = upstream(target);
        } catch (UpstreamException e) {
            forgetProgress(token);
            return JsonRpc.error(clientId, JsonRpc.INTERNAL_ERROR, e.getMessage());
        }
        PendingCall call = upstream.prepare(upstreamRequest, related(target, stream), caller);
        inFlight.put(clientId, new InFlight(target, call.id()));
        try {
            upstream.send(call);
            ObjectNode response = call.response().join();
            response.set("id", clientId);
            return response;
        } finally {
            inFlight.remove(clientId);
            forgetProgress(token);
        }
    }

    private String remapProgressToken(ObjectNode request, MessageStream stream) {
        ObjectNode params = JsonRpc.params(request);
        if (params == null || !(params.get("_meta") instanceof ObjectNode meta) || !meta.has("progressToken")) {
            return null;
        }
        String token = "agw-p" + Long.toString(counter.incrementAndGet(), 36);
        progress.put(token, new ProgressRoute(meta.get("progressToken"), stream));
        meta.put("progressToken", token);
        return token;
    }

    private void forgetProgress(String token) {
        if (token != null) {
            progress.remove(token);
        }
    }

    /**
     * The key a modern target gave the input request forwarded under {@code gatewayId} (its
     * {@code inputRequests} key), or {@code null} when a legacy target made it as a request of its own.
     */
    public String inputKeyOf(String gatewayId) {
        ServerRequest origin = serverRequests.get(gatewayId);
        return origin == null ? null : dev.agentgateway.mcp.internal.upstream.InputRound.keyOf(origin.originalId());
    }

    /** A response the client POSTed to a request an upstream made: restore the id, send it to that upstream only. */
    public void fromClientResponse(ObjectNode response, Caller caller) {
        JsonNode id = response.get("id");
        CompletableFuture<ObjectNode> own = id != null && id.isTextual() ? ownRequests.remove(id.asText()) : null;
        if (own != null) {
            own.complete(response);
            return;
        }
        ServerRequest origin = id != null && id.isTextual() ? serverRequests.remove(id.asText()) : null;
        if (origin == null) {
            LOG.debug("session {}: response to unknown server request {} dropped", shortId(), id);
            return;
        }
        UpstreamSession upstream = startedUpstreams().get(origin.target());
        if (upstream == null) {
            LOG.debug("session {}: target '{}' is gone; response dropped", shortId(), origin.target());
            return;
        }
        ObjectNode restored = response.deepCopy();
        restored.set("id", origin.originalId());
        taskIds.inwardMeta(this, origin.target(), restored.get("result"));
        upstream.reply(restored, caller);
    }

    /**
     * Asks the client {@code request} itself (not on behalf of a target), on {@code stream} while it is
     * open, else on the listening stream; the future completes with the client's response.
     */
    CompletableFuture<ObjectNode> askClient(ObjectNode request, MessageStream stream) {
        String gatewayId = "agw-g" + Long.toString(counter.incrementAndGet(), 36);
        CompletableFuture<ObjectNode> answer = new CompletableFuture<>();
        ownRequests.put(gatewayId, answer);
        ObjectNode message = request.deepCopy();
        message.put("id", gatewayId);
        deliver(message, stream != null && !stream.isFinished() ? stream : null);
        return answer;
    }

    /** Whether this session serves stateless (modern era) requests rather than a client that holds it. */
    public boolean stateless() {
        return unrelated != null;
    }

    /** A notification the client sent: cancellations go to the owning upstream, the rest to every upstream. */
    public void fromClientNotification(ObjectNode notification, Caller caller) {
        String method = notification.path("method").asText();
        switch (method) {
            case "notifications/initialized" -> {
                // the gateway completed each upstream's handshake itself
            }
            case "notifications/cancelled" -> {
                ObjectNode params = JsonRpc.params(notification);
                JsonNode requestId = params == null ? null : params.get("requestId");
                Runnable local = requestId == null ? null : cancellable.remove(requestId);
                if (local != null) {
                    local.run();
                    return;
                }
                InFlight target = requestId == null ? null : inFlight.get(requestId);
                if (target == null) {
                    LOG.debug("session {}: cancellation of unknown request {} ignored", shortId(), requestId);
                    return;
                }
                UpstreamSession upstream = startedUpstreams().get(target.target());
                if (upstream != null) {
                    upstream.cancel(target.upstreamId(), params.path("reason").asText(null));
                }
            }
            default -> {
                for (UpstreamSession upstream : startedUpstreams().values()) {
                    upstream.notify(notification, caller);
                }
            }
        }
    }

    // ---- upstream -> client ----------------------------------------------------------------------------

    /** Where {@code target}'s messages related to a client request go: that request's {@code stream}. */
    private RelatedMessages related(String target, MessageStream stream) {
        return new RelatedMessages() {
            @Override
            public void accept(ObjectNode message) {
                fromServer(target, message, stream);
            }

            @Override
            public void acceptTogether(List<ObjectNode> requests) {
                fromServerTogether(target, requests, stream);
            }
        };
    }

    /** Requests {@code target} made of the client as one (one input round): they reach the stream's reader together. */
    private void fromServerTogether(String target, List<ObjectNode> requests, MessageStream related) {
        if (closed) {
            return;
        }
        MessageStream destination = related != null && !related.isFinished() ? related : null;
        requests.forEach(request -> asForwarded(target, request));
        if (destination == null && unrelated != null) {
            requests.forEach(unrelated);
            return;
        }
        (destination != null ? destination : listeningStream()).sendTogether(requests);
    }

    /** A request or notification from {@code target}, related to the client request whose stream is {@code related}. */
    void fromServer(String target, ObjectNode message, MessageStream related) {
        if (closed) {
            return;
        }
        MessageStream destination = related != null && !related.isFinished() ? related : null;
        if (message.has("id")) {
            asForwarded(target, message);
            deliver(message, destination);
            return;
        }
        // a message about a task (an input_required task's elicitation, say) names it as the client knows it
        taskIds.outwardMeta(this, target, message.get("params"));
        String method = message.path("method").asText();
        ObjectNode params = JsonRpc.params(message);
        switch (method) {
            case "notifications/progress" -> {
                JsonNode token = params == null ? null : params.get("progressToken");
                ProgressRoute route = token == null ? null : progress.get(token.asText());
                if (route == null) {
                    LOG.debug("session {}: progress for unknown token {} from '{}' dropped", shortId(), token, target);
                    return;
                }
                params.set("progressToken", route.originalToken());
                deliver(message, route.stream().isFinished() ? null : route.stream());
            }
            case "notifications/resources/updated" -> {
                if (params != null && params.get("uri") instanceof TextNode uri) {
                    params.put("uri", context.naming().uri(target, uri.asText()));
                }
                deliver(message, null);
            }
            case "notifications/tasks/status" -> {
                taskIds.outwardField(this, target, params);
                deliver(message, destination);
            }
            case "notifications/cancelled" -> {
                JsonNode requestId = params == null ? null : params.get("requestId");
                String gatewayId = requestId == null ? null : gatewayIdOf(target, requestId);
                if (gatewayId == null) {
                    return;
                }
                params.put("requestId", gatewayId);
                deliver(message, destination);
            }
            case "notifications/tools/list_changed", "notifications/prompts/list_changed",
                 "notifications/resources/list_changed" -> {
                if (ListChanges.checked(context, this)) { // asks the target again: not on its reader's thread
                    context.executor().execute(() -> new ListChanges(context).fromUpstream(this, target, message));
                } else {
                    deliver(message, null);
                }
            }
            case "notifications/message" -> {
                // with several targets, say which one logged (level and data stay as they are)
                if (params != null && context.naming().prefixing()) {
                    JsonNode logger = params.get("logger");
                    params.put("logger", logger == null || logger.isNull() ? target : target + "/" + logger.asText());
                }
                deliver(message, destination);
            }
            default -> deliver(message, destination);
        }
    }

    /** A server request under the id the client sees (recorded so the answer goes back to {@code target}). */
    private void asForwarded(String target, ObjectNode request) {
        taskIds.outwardMeta(this, target, request.get("params"));
        String gatewayId = "agw-s" + Long.toString(counter.incrementAndGet(), 36);
        serverRequests.put(gatewayId, new ServerRequest(target, request.get("id")));
        request.set("id", TextNode.valueOf(gatewayId));
    }

    private String gatewayIdOf(String target, JsonNode upstreamId) {
        for (Map.Entry<String, ServerRequest> entry : serverRequests.entrySet()) {
            if (entry.getValue().target().equals(target) && entry.getValue().originalId().equals(upstreamId)) {
                serverRequests.remove(entry.getKey());
                return entry.getKey();
            }
        }
        return null;
    }

    /** Sends a message no request caused on the client's stream of unrelated messages. */
    void deliverUnrelated(ObjectNode message) {
        if (!closed) {
            deliver(message, null);
        }
    }

    /** What this session's caller was last shown of each list. */
    ViewWatch views() {
        return views;
    }

    private void deliver(ObjectNode message, MessageStream destination) {
        if (destination == null && unrelated != null) {
            unrelated.accept(message);
            return;
        }
        (destination != null ? destination : listeningStream()).send(message);
    }

    // ---- lifecycle -------------------------------------------------------------------------------------

    /** Ends the client's open GET (or legacy SSE) connection; a client that reconnects resumes with Last-Event-ID. */
    public void endListeningStream() {
        EventStream current = listening;
        if (current != null) {
            current.close();
        }
    }

    /** Ends the session: upstream sessions are ended (processes stopped), streams closed. Blocks until done. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (CompletableFuture<UpstreamSession> future : upstreams.values()) {
            stopping.add(future.thenAcceptAsync(UpstreamSession::close, context.executor()).exceptionally(e -> null));
        }
        for (CompletableFuture<Void> stop : stopping) {
            stop.join();
        }
        for (EventStream stream : streams.values()) {
            stream.close();
        }
        ownRequests.values().forEach(answer -> answer.completeExceptionally(new IllegalStateException("the session ended")));
        EventStream current = listening;
        if (current != null) {
            current.close();
        }
    }

    /** The start of the id, for logs: enough to tell sessions apart without writing a usable token. */
    public String shortId() {
        String current = id;
        return current == null ? "?" : current.length() > 12 ? current.substring(0, 12) : current;
    }
}
