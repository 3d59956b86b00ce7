package dev.agentgateway.mcp.internal.downstream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.FailureMode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.McpSettings;
import dev.agentgateway.mcp.internal.ModernMeta;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import dev.agentgateway.mcp.internal.upstream.UpstreamSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's {@code initialize}: negotiates the protocol version with the client, starts one upstream
 * session per target in parallel (each negotiating its own version, each told the client's
 * capabilities), merges what they offer (tasks included), and mints the session id that names them all.
 */
public final class Initializer {
    private static final Logger LOG = LoggerFactory.getLogger(Initializer.class);

    private final McpContext context;
    private final SessionTokens tokens;

    public Initializer(McpContext context, SessionTokens tokens) {
        this.context = context;
        this.tokens = tokens;
    }

    /**
     * Initialises {@code session}; returns the response for the client. On success the session has its
     * id; on failure its upstream sessions are closed.
     */
    public ObjectNode initialize(DownstreamSession session, ObjectNode request) {
        JsonNode id = request.get("id");
        ObjectNode params = JsonRpc.params(request);
        if (params == null) {
            return JsonRpc.error(id, JsonRpc.INVALID_PARAMS, "initialize needs params");
        }
        String version = ProtocolVersions.negotiate(params.path("protocolVersion").asText(null));
        ObjectNode capabilities = params.get("capabilities") instanceof ObjectNode c ? c : context.json().object();
        ObjectNode clientInfo = params.get("clientInfo") instanceof ObjectNode info ? info : context.json().object();
        session.state(new SessionState(version, capabilities, clientInfo, List.of(), null, session.owner()));

        Map<String, CompletableFuture<UpstreamSession>> starting = new LinkedHashMap<>();
        for (String target : context.targets().keySet()) {
            starting.put(target, CompletableFuture.supplyAsync(() -> {
                try {
                    return session.upstream(target);
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            }, context.executor()));
        }
        Map<String, UpstreamSession> started = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<UpstreamSession>> entry : starting.entrySet()) {
            try {
                started.put(entry.getKey(), entry.getValue().join());
            } catch (CompletionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                failures.add(cause.getMessage());
            }
        }
        McpSettings settings = context.settings();
        if (!failures.isEmpty() && (settings.failureMode() == FailureMode.FAIL_CLOSED || started.isEmpty())) {
            session.close();
            return JsonRpc.error(id, JsonRpc.INTERNAL_ERROR, "initialize failed: " + String.join("; ", failures));
        }
        if (!failures.isEmpty()) {
            LOG.warn("initialize: skipping failed targets (failOpen): {}", failures);
        }
        List<SessionState.Upstream> upstreams = new ArrayList<>();
        for (UpstreamSession upstream : started.values()) {
            upstreams.add(new SessionState.Upstream(upstream.target(), upstream.sessionId(), upstream.protocolVersion()));
        }
        SessionState state = new SessionState(version, capabilities, clientInfo, upstreams, null, session.owner());
        session.state(state);
        if (!session.legacy()) {
            session.id(tokens.issue(state));
        }

        ObjectNode result = context.json().object();
        result.put("protocolVersion", version);
        result.set("capabilities", capabilities(started));
        ObjectNode serverInfo = result.putObject("serverInfo");
        serverInfo.put("name", settings.serverName());
        serverInfo.put("version", settings.serverVersion());
        String instructions = instructions(started);
        if (instructions != null) {
            result.put("instructions", instructions);
        }
        return JsonRpc.result(id, result);
    }

    /** What the gateway offers: each capability at least one target offers; list changes always announced. */
    private ObjectNode capabilities(Map<String, UpstreamSession> started) {
        boolean tools = false;
        boolean prompts = false;
        boolean resources = false;
        boolean subscribe = false;
        boolean logging = false;
        boolean completions = false;
        ObjectNode tasks = null;
        for (UpstreamSession upstream : started.values()) {
            JsonNode offered = upstream.initializeResult() == null ? null : upstream.initializeResult().path("capabilities");
            if (offered == null) {
                continue;
            }
            tools |= offered.has("tools");
            prompts |= offered.has("prompts");
            resources |= offered.has("resources");
            subscribe |= offered.path("resources").path("subscribe").asBoolean(false);
            logging |= offered.has("logging");
            completions |= offered.has("completions");
            if (offered.get("tasks") instanceof ObjectNode offeredTasks) {
                tasks = union(tasks == null ? context.json().object() : tasks, offeredTasks);
            }
            if (upstream.modern() && offered.path("extensions").has(ModernMeta.TASKS_EXTENSION)) {
                // a modern target's tasks extension, bridged for legacy clients (LegacyTaskBridge, which
                // lists the session's tasks itself: the extension has no tasks/list)
                ObjectNode bridged = context.json().object();
                bridged.putObject("list");
                bridged.putObject("cancel");
                bridged.putObject("requests").putObject("tools").putObject("call");
                tasks = union(tasks == null ? context.json().object() : tasks, bridged);
            }
        }
        ObjectNode capabilities = context.json().object();
        if (tools) {
            capabilities.putObject("tools").put("listChanged", true);
        }
        if (prompts) {
            capabilities.putObject("prompts").put("listChanged", true);
        }
        if (resources) {
            ObjectNode node = capabilities.putObject("resources");
            node.put("subscribe", subscribe);
            node.put("listChanged", true);
        }
        if (logging) {
            capabilities.putObject("logging");
        }
        if (completions) {
            capabilities.putObject("completions");
        }
        if (tasks != null) {
            // what any target can do with tasks (list, cancel, which requests take a task); a request
            // for a task of a target that cannot is answered by that target, as the spec lets it
            capabilities.set("tasks", tasks);
        }
        return capabilities;
    }

    /** {@code into} with every member of {@code more} it lacks, objects merged member by member. */
    private static ObjectNode union(ObjectNode into, ObjectNode more) {
        more.properties().forEach(member -> {
            if (into.get(member.getKey()) instanceof ObjectNode mine && member.getValue() instanceof ObjectNode theirs) {
                union(mine, theirs);
            } else if (!into.has(member.getKey())) {
                into.set(member.getKey(), member.getValue().deepCopy());
            }
        });
        return into;
    }

    private String instructions(Map<String, UpstreamSession> started) {
        String preamble = context.settings().instructions();
        List<String> parts = new ArrayList<>();
        if (preamble != null) {
            parts.add(preamble);
        }
        boolean bare = preamble == null && started.size() == 1 && context.targets().size() == 1;
        for (UpstreamSession upstream : started.values()) {
            String text = upstream.initializeResult() == null ? null : upstream.initializeResult().path("instructions").asText(null);
            if (text != null && !text.isBlank()) {
                parts.add(bare ? text : "[" + upstream.target() + "]\n" + text);
            }
        }
        return parts.isEmpty() ? null : String.join("\n\n", parts);
    }
}
