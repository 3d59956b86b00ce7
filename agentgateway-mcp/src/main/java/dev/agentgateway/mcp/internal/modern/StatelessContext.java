package dev.agentgateway.mcp.internal.modern;

import dev.agentgateway.mcp.internal.ParamHeaders;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.downstream.DownstreamSession;

/**
 * One gateway-held session serving stateless requests ({@link StatelessSessions}): the session, what
 * its targets offered, the log level its upstreams were set to, the tool header annotations and task
 * support last read,
 * and the open {@code subscriptions/listen} streams that messages no request caused go to.
 */
final class StatelessContext {
    private static final List<String> LEVELS = List.of("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency");

    private final McpContext context;
    private final DownstreamSession session;
    private volatile ObjectNode initializeResult;
    private volatile String upstreamLevel;
    private volatile ParamHeaders paramHeaders;
    /** Each tool's {@code execution.taskSupport} from the same list as {@link #paramHeaders}. */
    private volatile Map<String, String> taskSupport = Map.of();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    /** How many open subscriptions watch each URI: the upstream subscription is held while one does. */
    private final Map<String, Integer> watched = new ConcurrentHashMap<>();

    StatelessContext(McpContext context, DownstreamSession session) {
        this.context = context;
        this.session = session;
    }

    DownstreamSession session() {
        return session;
    }

    ObjectNode initializeResult() {
        return initializeResult;
    }

    void initializeResult(ObjectNode result) {
        this.initializeResult = result;
    }

    /** The tool annotations read from the last full tools list, or {@code null} when they must be read again. */
    ParamHeaders paramHeaders() {
        return paramHeaders;
    }

    void paramHeaders(ParamHeaders headers, Map<String, String> taskSupport) {
        this.taskSupport = taskSupport;
        this.paramHeaders = headers;
    }

    /** Whether the tool runs as a task: {@code forbidden} (the default), {@code optional} or {@code required}. */
    String taskSupport(String tool) {
        return taskSupport.getOrDefault(tool, "forbidden");
    }

    /**
     * Whether the upstreams must be told a lower level for a request that wants {@code level}: they are
     * set to the lowest level any request asked for, and each request gets only what it asked for.
     */
    boolean needsLevel(String level) {
        String current = upstreamLevel;
        return current == null || severity(level) < severity(current);
    }

    void upstreamLevel(String level) {
        this.upstreamLevel = level;
    }

    /** Whether a {@code notifications/message} at {@code messageLevel} reaches a request that asked for {@code wanted}. */
    static boolean passes(String messageLevel, String wanted) {
        return wanted != null && severity(messageLevel) >= severity(wanted);
    }

    static boolean knownLevel(String level) {
        return LEVELS.contains(level);
    }

    private static int severity(String level) {
        int index = LEVELS.indexOf(level);
        return index < 0 ? 0 : index;
    }

    void add(Subscription subscription) {
        subscriptions.add(subscription);
    }

    void remove(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    /** Counts a subscription to {@code uri}; true when it is the first (the upstream must be asked). */
    boolean watch(String uri) {
        return watched.merge(uri, 1, Integer::sum) == 1;
    }

    /** Uncounts it; true when it was the last (the upstream subscription can end). */
    boolean unwatch(String uri) {
        Integer left = watched.computeIfPresent(uri, (k, n) -> n == 1 ? null : n - 1);
        return left == null;
    }

    /** A message no request caused: list changes and resource updates go to subscriptions; requests are refused. */
    void unrelated(ObjectNode message) {
        if (message.has("id") && message.has("method")) {
            // a modern client can be asked for input only within a call (MRTR)
            session.fromClientResponse(JsonRpc.error(message.get("id"), JsonRpc.METHOD_NOT_FOUND,
                    "The client can answer requests only within a call"), session.caller());
            return;
        }
        if ("notifications/tools/list_changed".equals(message.path("method").asText())) {
            paramHeaders = null;
        }
        for (Subscription subscription : subscriptions) {
            subscription.offer(message);
        }
    }

    /** Ends the open listen streams, each with its final response. */
    void endSubscriptions() {
        for (Subscription subscription : subscriptions) {
            subscription.end();
        }
    }

    void close() {
        endSubscriptions();
        context.executor().execute(session::close);
    }
}
