package dev.agentgateway.mcp.internal.upstream;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Caller;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpMetrics;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import dev.agentgateway.mcp.internal.TaskFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream MCP session of one target, owned by one client session: the handshake, the gateway's own
 * request ids (a counter per upstream session, so ids of different clients never collide), timeouts,
 * and recovery. When the channel dies (a process exits, a stream drops) the calls in flight fail at once
 * with a JSON-RPC error and the session is re-established with backoff; when the upstream forgets the
 * session (HTTP 404) it is re-initialised and the refused request sent again. Either way the log level
 * and resource subscriptions the client set are replayed.
 */
public final class UpstreamSession implements Inbound {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSession.class);
    /** Requests that change nothing: one cut by a lost connection is sent again once the session is back. */
    private static final Set<String> IDEMPOTENT = Set.of("ping", "tools/list", "prompts/list", "resources/list",
            "resources/templates/list", "resources/read", "prompts/get", "completion/complete", "tasks/get", "tasks/list");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String target;
    private final UpstreamChannel channel;
    private final Duration timeout;
    private final Duration restartBackoff;
    private final ScheduledExecutorService scheduler;
    private final McpMetrics metrics;
    private final Consumer<ObjectNode> unrelated;
    private final Supplier<Caller> caller;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, PendingCall> pending = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<PendingCall> inFlight = new ConcurrentLinkedDeque<>();
    private final Set<String> subscriptions = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private volatile CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile ObjectNode initializeParams;
    private volatile ObjectNode initializeResult;
    private volatile String protocolVersion;
    private volatile String logLevel;
    private volatile boolean closed;
    private volatile boolean recovering;
    private long backoffMillis;

    /**
     * @param unrelated receives server messages that belong to no request (list changes, resource updates,
     *                  requests and logs that the transport cannot attribute while no call is in flight)
     * @param caller the client session's latest caller, for messages no client request caused
     */
    public UpstreamSession(String target, UpstreamChannel channel, Duration timeout, Duration restartBackoff,
                           ScheduledExecutorService scheduler, McpMetrics metrics, Consumer<ObjectNode> unrelated,
                           Supplier<Caller> caller) {
        this.target = target;
        this.channel = channel;
        this.timeout = timeout;
        this.restartBackoff = restartBackoff;
        this.backoffMillis = restartBackoff.toMillis();
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.unrelated = unrelated;
        this.caller = caller;
    }

    public String target() {
        return target;
    }

    @Override
    public Caller caller() {
        return caller.get();
    }

    /** The upstream's session id (HTTP), or {@code null}. */
    public String sessionId() {
        return channel.sessionId();
    }

    /** The protocol version negotiated with the upstream, or {@code null} before the handshake. */
    public String protocolVersion() {
        return protocolVersion;
    }

    /** The upstream's {@code initialize} result, or {@code null} when the session was resumed without a handshake. */
    public ObjectNode initializeResult() {
        return initializeResult;
    }

    /**
     * Connects and performs the handshake: {@code initialize} with {@code params} (the client's
     * capabilities and info, the gateway's protocol version), then {@code notifications/initialized}.
     */
    public ObjectNode start(ObjectNode params) throws UpstreamException {
        this.initializeParams = params;
        try {
            channel.open(this);
            connect();
            ready.complete(null);
            return initializeResult;
        } catch (UpstreamException e) {
            ready.completeExceptionally(e);
            metrics.upstreamFailure(target, "initialize");
            throw e;
        } catch (IOException e) {
            UpstreamException failure = new UpstreamException("target '" + target + "' could not be reached: " + e.getMessage(), e);
            ready.completeExceptionally(failure);
            metrics.upstreamFailure(target, "connect");
            throw failure;
        }
    }

    /**
     * Adopts an upstream session that a client session token names (established by this or another
     * gateway). Transports without resumable sessions connect and initialise anew instead.
     */
    public void resume(String sessionId, String version, ObjectNode params) throws UpstreamException {
        this.initializeParams = params;
        if (sessionId != null && ProtocolVersions.supported(version) && channel.resume(sessionId, version)) {
            try {
                channel.open(this);
            } catch (IOException e) {
                throw new UpstreamException("target '" + target + "' could not be reached: " + e.getMessage(), e);
            }
            this.protocolVersion = version;
            ready.complete(null);
            return;
        }
        start(params);
    }

    /**
     * Asks the target whether it speaks the modern era ({@code server/discover}); if so there is no
     * handshake: its discover result stands in for the {@code initialize} result, and every request
     * carries the client's capabilities itself. False for legacy targets (and transports without eras).
     */
    private boolean adoptModern() throws IOException {
        ObjectNode discovered = channel.discover(initializeParams);
        if (discovered == null) {
            return false;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("protocolVersion", ProtocolVersions.V2026_07_28);
        result.set("capabilities", discovered.path("capabilities").deepCopy());
        JsonNode serverInfo = discovered.path("_meta").path("io.modelcontextprotocol/serverInfo");
        result.set("serverInfo", serverInfo.isObject() ? serverInfo.deepCopy() : JsonNodeFactory.instance.objectNode());
        if (discovered.get("instructions") != null) {
            result.set("instructions", discovered.get("instructions"));
        }
        this.initializeResult = result;
        this.protocolVersion = ProtocolVersions.V2026_07_28;
        return true;
    }

    /**
     * The modern era if the target speaks it, else the legacy handshake. A target remembered as legacy
     * that refuses the handshake may have come back as a modern-only server: it is asked again, once.
     */
    private void connect() throws UpstreamException, IOException {
        if (adoptModern()) {
            return;
        }
        try {
            handshake();
        } catch (UpstreamException refused) {
            if (!channel.forgetLegacyVerdict() || !adoptModern()) {
                throw refused;
            }
            LOG.info("target '{}' refused the legacy handshake and speaks {} now", target, protocolVersion);
        }
    }

    /** Whether the target speaks the modern era (stateless requests, MRTR). */
    public boolean modern() {
        return ProtocolVersions.modern(protocolVersion);
    }

    private void handshake() throws UpstreamException, IOException {
        PendingCall init = newCall(JsonRpc.request(null, "initialize", initializeParams.deepCopy()), null, null);
        channel.request(init);
        ObjectNode response;
        try {
            response = init.response.get();
        } catch (ExecutionException e) {
            throw new UpstreamException("target '" + target + "' failed during initialize: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException("interrupted while initialising target '" + target + "'", e);
        }
        if (JsonRpc.isError(response)) {
            throw new UpstreamException("target '" + target + "' refused initialize: " + response.get("error"), null);
        }
        JsonNode result = response.get("result");
        String version = result == null ? null : result.path("protocolVersion").asText(null);
        if (!ProtocolVersions.supported(version)) {
            throw new UpstreamException("target '" + target + "' answered initialize with unsupported protocol version '"
                    + version + "' (supported: " + ProtocolVersions.SUPPORTED + ")", null);
        }
        this.initializeResult = (ObjectNode) result;
        this.protocolVersion = version;
        channel.initialized(version);
        channel.send(JsonRpc.notification("notifications/initialized", null), null);
    }

    /**
     * Sends {@code request} (its id is replaced by this session's own) once the session is ready; the
     * returned call's future completes with the response (with the upstream id) or with a JSON-RPC error
     * the gateway made (unreachable target, timeout, crash). Never completes exceptionally.
     *
     * @param related receives server messages sent in relation to this request
     * @param caller the caller the request is made for: what the target's upstream credentials decide on
     */
    public PendingCall call(ObjectNode request, RelatedMessages related, Caller caller) {
        PendingCall call = prepare(request.deepCopy(), related, caller);
        send(call);
        return call;
    }

    /**
     * A call with its upstream id, not sent yet (so the caller can record the id first); send it with
     * {@link #send}. Takes {@code request} over (its id is replaced): pass a copy you own.
     */
    public PendingCall prepare(ObjectNode request, RelatedMessages related, Caller caller) {
        return newCall(request, related, caller);
    }

    /**
     * Sends a prepared call. When the session is ready the request goes out on the calling thread (an HTTP
     * request is made right here, so this may block until its answer has been read); otherwise it goes
     * out on its own thread once the session is ready.
     */
    public void send(PendingCall call) {
        CompletableFuture<Void> current = ready;
        if (current.isDone() && !current.isCompletedExceptionally()) {
            dispatch(call);
        } else {
            whenReady(call);
        }
    }

    private void whenReady(PendingCall call) {
        CompletableFuture<Void> current = ready;
        current.whenComplete((ok, failure) -> {
            if (failure == null) {
                Thread.ofVirtual().name("mcp-send-" + target).start(() -> dispatch(call));
            } else if (recovering && ready != current) {
                whenReady(call); // a newer attempt to re-establish the session is under way
            } else {
                fail(call, "target '" + target + "' is not available: " + rootMessage(failure));
            }
        });
    }

    private void dispatch(PendingCall call) {
        if (call.response.isDone()) {
            return;
        }
        if (modern() && answeredLocally(call)) {
            return;
        }
        try {
            channel.request(call);
        } catch (IOException | RuntimeException e) {
            metrics.upstreamFailure(target, "send");
            fail(call, "target '" + target + "' could not be sent the request: " + e.getMessage());
        }
    }

    /**
     * What a modern target does not serve: {@code ping} and {@code logging/setLevel} (removed in
     * 2026-07-28) are answered here, the level then travelling in each request's {@code _meta};
     * {@code resources/(un)subscribe} change what the target's subscription stream watches.
     */
    private boolean answeredLocally(PendingCall call) {
        String method = call.request.path("method").asText();
        switch (method) {
            case "ping", "logging/setLevel" -> {
                call.response.complete(JsonRpc.result(call.request.get("id"), JsonNodeFactory.instance.objectNode()));
                return true;
            }
            case "resources/subscribe", "resources/unsubscribe" -> {
                subscribeModern(call, method.equals("resources/subscribe"));
                return true;
            }
            default -> {
                String level = logLevel;
                if (level != null && call.request.get("params") instanceof ObjectNode params) {
                    ObjectNode meta = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
                    meta.put("io.modelcontextprotocol/logLevel", level);
                } else if (level != null && !call.request.has("params")) {
                    call.request.putObject("params").putObject("_meta").put("io.modelcontextprotocol/logLevel", level);
                }
                return false;
            }
        }
    }

    /** A legacy client's (un)subscription to a modern target: its subscription stream watches the URI instead. */
    private void subscribeModern(PendingCall call, boolean subscribe) {
        JsonNode id = call.request.get("id");
        String uri = call.request.path("params").path("uri").asText(null);
        if (!initializeResult.path("capabilities").path("resources").path("subscribe").asBoolean(false)) {
            call.response.complete(JsonRpc.error(id, JsonRpc.METHOD_NOT_FOUND, "target '" + target + "' offers no resource subscriptions"));
        } else if (uri == null) {
            call.response.complete(JsonRpc.error(id, JsonRpc.INVALID_PARAMS, call.request.path("method").asText() + " needs a uri"));
        } else {
            subscribed(uri, subscribe);
            channel.resourceSubscriptions(Set.copyOf(subscriptions));
            call.response.complete(JsonRpc.result(id, JsonNodeFactory.instance.objectNode()));
        }
    }

    private PendingCall newCall(ObjectNode request, RelatedMessages related, Caller caller) {
        long id = ids.incrementAndGet();
        request.set("id", LongNode.valueOf(id));
        PendingCall call = new PendingCall(id, request, related, caller);
        pending.put(id, call);
        inFlight.addLast(call);
        ObjectNode timedOut = JsonRpc.error(LongNode.valueOf(id), JsonRpc.REQUEST_TIMEOUT,
                "Request to target '" + target + "' timed out after " + timeout.toMillis() + " ms");
        call.response.completeOnTimeout(timedOut, timeout.toMillis(), TimeUnit.MILLISECONDS);
        call.response.whenComplete((response, failure) -> {
            forget(call);
            if (!call.retryIds.isEmpty() || call.round != null) {
                inputRequests.values().removeIf(waiting -> waiting == call);
            }
            if (response == timedOut) {
                metrics.upstreamFailure(target, "timeout");
                cancel(call.id, "timed out at the gateway");
            }
        });
        return call;
    }

    private void forget(PendingCall call) {
        pending.remove(call.id, call);
        for (Long retry : call.retryIds) {
            pending.remove(retry, call);
        }
        inFlight.remove(call);
    }

    /** Sends a notification (client notifications that concern every upstream, cancellations, ...). */
    public void notify(ObjectNode notification, Caller caller) {
        if (!ready.isDone() || ready.isCompletedExceptionally() || closed) {
            return;
        }
        try {
            channel.send(notification, caller);
        } catch (IOException | RuntimeException e) {
            LOG.debug("target '{}': notification {} not delivered: {}", target, notification.path("method").asText(), e.toString());
        }
    }

    /** Sends the client's answer to a request this upstream made (sampling, elicitation, roots). */
    public void reply(ObjectNode response, Caller caller) {
        if (InputRound.keyOf(response.get("id")) != null) {
            answerInput(response);
            return;
        }
        try {
            channel.send(response, caller);
        } catch (IOException | RuntimeException e) {
            LOG.warn("target '{}': the answer to its request {} could not be delivered: {}", target, response.get("id"), e.toString());
        }
    }

    /** Tells the upstream that the client gave up on request {@code upstreamId}; completes the call with an error. */
    public void cancel(long upstreamId, String reason) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("requestId", upstreamId);
        if (reason != null) {
            params.put("reason", reason);
        }
        notify(JsonRpc.notification("notifications/cancelled", params), null);
        PendingCall call = pending.get(upstreamId);
        if (call != null) {
            call.response.complete(JsonRpc.error(LongNode.valueOf(upstreamId), JsonRpc.REQUEST_TIMEOUT, "Request cancelled: " + reason));
        }
    }

    /** Remembers the client's log level, to replay after a re-initialisation. */
    public void logLevel(String level) {
        this.logLevel = level;
    }

    /** Remembers a resource subscription (URI as the upstream knows it), to replay after a re-initialisation. */
    public void subscribed(String uri, boolean subscribed) {
        if (subscribed) {
            subscriptions.add(uri);
        } else {
            subscriptions.remove(uri);
        }
    }

    /** Opens the server-to-client stream where the transport has one. */
    public void listen() {
        ready.thenRun(channel::listen);
    }

    /** Ends the upstream session; calls in flight fail. Idempotent. */
    public void close() {
        closed = true;
        for (PendingCall call : pending.values()) {
            fail(call, "the session ended");
        }
        channel.close();
    }

    // ---- Inbound -------------------------------------------------------------------------------------

    @Override
    public void message(ObjectNode message, PendingCall call) {
        switch (JsonRpc.kind(message)) {
            case RESPONSE -> {
                JsonNode id = message.get("id");
                PendingCall owner = id != null && id.canConvertToLong() ? pending.get(id.asLong()) : null;
                if (owner == null) {
                    LOG.debug("target '{}': response to unknown request {} dropped", target, id);
                    return;
                }
                if (modern() && "input_required".equals(message.path("result").path("resultType").asText())) {
                    askForInput(owner, (ObjectNode) message.get("result"));
                    return;
                }
                owner.response.complete(message);
            }
            case REQUEST -> {
                if ("ping".equals(message.get("method").asText())) {
                    reply(JsonRpc.result(message.get("id"), JsonNodeFactory.instance.objectNode()), null);
                    return;
                }
                deliver(message, call);
            }
            case NOTIFICATION -> deliver(message, call);
            case INVALID -> LOG.warn("target '{}' sent a message that is not JSON-RPC 2.0; dropped: {}", target,
                    abbreviate(message.toString()));
        }
    }

    // ---- MRTR (modern targets) -----------------------------------------------------------------------

    /** The most rounds one call may take: a target that never stops asking fails the call instead of looping. */
    private static final int MAX_INPUT_ROUNDS = 16;
    private final Map<String, PendingCall> inputRequests = new ConcurrentHashMap<>();

    /**
     * The target answered {@code call} with {@code input_required}: its input requests go to the
     * call's client as requests (under synthetic ids); once all are answered the call is retried.
     */
    private void askForInput(PendingCall call, ObjectNode result) {
        if (call.related == null || call.retryIds.size() >= MAX_INPUT_ROUNDS) {
            call.response.complete(JsonRpc.error(call.request.get("id"), JsonRpc.INTERNAL_ERROR, call.related == null
                    ? "target '" + target + "' asked for client input where no client can answer"
                    : "target '" + target + "' asked for input more than " + MAX_INPUT_ROUNDS + " times in one call"));
            return;
        }
        JsonNode requests = result.path("inputRequests");
        java.util.Set<String> keys = ConcurrentHashMap.newKeySet();
        requests.fieldNames().forEachRemaining(keys::add);
        InputRound round = new InputRound(result.get("requestState"), keys);
        call.round = round;
        int number = call.retryIds.size() + 1;
        if (keys.isEmpty()) {
            retryWithInput(call, round); // only requestState: retry at once
            return;
        }
        java.util.List<ObjectNode> asked = new java.util.ArrayList<>();
        for (java.util.Iterator<String> names = requests.fieldNames(); names.hasNext(); ) {
            String key = names.next();
            JsonNode input = requests.get(key);
            String id = InputRound.syntheticId(call.id, number, key);
            inputRequests.put(id, call);
            asked.add(JsonRpc.request(com.fasterxml.jackson.databind.node.TextNode.valueOf(id),
                    input.path("method").asText(), input.get("params") instanceof ObjectNode params ? params.deepCopy() : null));
        }
        call.related.acceptTogether(asked); // one round: its requests reach the client's reader together
    }

    /** The client answered one input request: when the round is complete, the call is retried with the answers. */
    private void answerInput(ObjectNode response) {
        String id = response.get("id").asText();
        PendingCall call = inputRequests.remove(id);
        InputRound round = call == null ? null : call.round;
        if (round == null || call.response.isDone()) {
            LOG.debug("target '{}': answer to unknown input request {} dropped", target, id);
            return;
        }
        String key = InputRound.keyOf(response.get("id"));
        if (response.get("result") != null) {
            round.answers.put(key, response.get("result"));
        }
        round.awaiting.remove(key);
        if (round.awaiting.isEmpty()) {
            retryWithInput(call, round);
        }
    }

    private void retryWithInput(PendingCall call, InputRound round) {
        long retryId = ids.incrementAndGet();
        call.retryIds.add(retryId);
        pending.put(retryId, call);
        call.request = round.retry(call.request, retryId);
        call.round = null;
        Thread.ofVirtual().name("mcp-input-retry-" + target).start(() -> dispatch(call));
    }

    private void deliver(ObjectNode message, PendingCall call) {
        Consumer<ObjectNode> sink = call == null ? null : call.related;
        if (sink == null && !channel.attributesRelatedMessages() && attributable(message)) {
            // stdio and legacy SSE carry no stream per request. A message about a task belongs to the
            // tasks/result that waits for that task (the legacy era delivers a task's input requests
            // there); anything else goes to the newest call in flight, whose client stream is open.
            sink = taskResultCall(message);
            Iterator<PendingCall> newestFirst = inFlight.descendingIterator();
            while (sink == null && newestFirst.hasNext()) {
                sink = newestFirst.next().related;
            }
        }
        (sink == null ? unrelated : sink).accept(message);
    }

    /** The sink of the {@code tasks/result} in flight for the task {@code message} relates to, or {@code null}. */
    private Consumer<ObjectNode> taskResultCall(ObjectNode message) {
        JsonNode task = message.path("params").path("_meta").path(TaskFields.RELATED_TASK).path("taskId");
        if (!task.isTextual()) {
            return null;
        }
        for (Iterator<PendingCall> newestFirst = inFlight.descendingIterator(); newestFirst.hasNext(); ) {
            PendingCall call = newestFirst.next();
            if ("tasks/result".equals(call.request.path("method").asText())
                    && task.asText().equals(call.request.path("params").path("taskId").asText(null))) {
                return call.related;
            }
        }
        return null;
    }

    private static boolean attributable(ObjectNode message) {
        String method = message.path("method").asText();
        return message.has("id") || method.equals("notifications/message") || method.equals("notifications/progress");
    }

    @Override
    public void failed(PendingCall call, Throwable cause) {
        metrics.upstreamFailure(target, "exchange");
        fail(call, "target '" + target + "' failed: " + rootMessage(cause));
    }

    @Override
    public void expired(PendingCall call) {
        if (closed) {
            fail(call, "the session ended");
            return;
        }
        if (call.resent || "initialize".equals(call.request.path("method").asText())) {
            fail(call, "target '" + target + "' does not know its session any more and re-initialising did not help");
            return;
        }
        call.resent = true;
        LOG.info("target '{}' forgot upstream session {}; re-initialising", target, channel.sessionId());
        CompletableFuture<Void> current = recover(false);
        current.whenComplete((ok, failure) -> {
            if (failure != null) {
                fail(call, "target '" + target + "' expired the session and could not be re-initialised: " + rootMessage(failure));
            } else {
                dispatch(call);
            }
        });
    }

    @Override
    public void closed(Throwable cause) {
        if (closed) {
            return;
        }
        metrics.upstreamFailure(target, "closed");
        LOG.warn("target '{}': upstream connection lost: {}", target, rootMessage(cause));
        List<PendingCall> again = new ArrayList<>();
        for (PendingCall call : pending.values()) {
            String method = call.request.path("method").asText();
            if ("initialize".equals(method)) {
                continue;
            }
            if (IDEMPOTENT.contains(method) && !call.resent) {
                call.resent = true; // asking again cannot do anything twice: once the target is back
                again.add(call);
            } else {
                fail(call, "target '" + target + "' went away during the request: " + rootMessage(cause));
            }
        }
        CompletableFuture<Void> back = recover(true);
        for (PendingCall call : again) {
            back.whenComplete((ok, failure) -> {
                if (failure != null) {
                    fail(call, "target '" + target + "' went away during the request and could not be re-established: " + rootMessage(failure));
                } else {
                    dispatch(call);
                }
            });
        }
    }

    /** Re-establishes the session (after {@code backoff} when a channel died); calls made meanwhile wait. */
    private CompletableFuture<Void> recover(boolean backoff) {
        lifecycle.lock();
        try {
            if (recovering) {
                return ready;
            }
            recovering = true;
            CompletableFuture<Void> next = new CompletableFuture<>();
            CompletableFuture<Void> previous = ready;
            ready = next;
            previous.completeExceptionally(new IOException("target '" + target + "' is being re-established"));
            long delay = backoff ? backoffMillis : 0;
            if (backoff) {
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
            scheduler.schedule(() -> Thread.ofVirtual().name("mcp-recover-" + target).start(() -> reestablish(next)),
                    delay, TimeUnit.MILLISECONDS);
            return next;
        } finally {
            lifecycle.unlock();
        }
    }

    private void reestablish(CompletableFuture<Void> next) {
        if (closed) {
            recovering = false;
            next.completeExceptionally(new IOException("the session ended"));
            return;
        }
        try {
            channel.close();
            channel.open(this);
            connect();
            metrics.upstreamRestart(target);
            replayState();
            recovering = false;
            backoffMillis = restartBackoff.toMillis();
            LOG.info("target '{}': upstream session re-established", target);
            next.complete(null);
        } catch (UpstreamException | IOException | RuntimeException e) {
            LOG.warn("target '{}': re-establishing the upstream session failed: {}", target, e.getMessage());
            metrics.upstreamFailure(target, "restart");
            lifecycle.lock();
            try {
                recovering = false;
            } finally {
                lifecycle.unlock();
            }
            next.completeExceptionally(e);
            if (!closed) {
                recover(true);
            }
        }
    }

    private void replayState() {
        if (logLevel != null) {
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("level", logLevel);
            PendingCall call = newCall(JsonRpc.request(null, "logging/setLevel", params), null, null);
            dispatch(call);
        }
        for (String uri : subscriptions) {
            ObjectNode params = JsonNodeFactory.instance.objectNode().put("uri", uri);
            dispatch(newCall(JsonRpc.request(null, "resources/subscribe", params), null, null));
        }
    }

    private void fail(PendingCall call, String message) {
        call.response.complete(JsonRpc.error(LongNode.valueOf(call.id), JsonRpc.INTERNAL_ERROR, message));
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
