package dev.agentgateway.mcp.internal.downstream;

import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Caller;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a client request on the backend's executor, whatever era it came in: the session is busy
 * meanwhile, the outcome is metered, and the response (an internal error if serving threw) finishes
 * the request's stream.
 */
public final class RequestRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRunner.class);
    private static final Set<String> KNOWN_METHODS = Set.of("initialize", "ping", "tools/list", "tools/call",
            "prompts/list", "prompts/get", "resources/list", "resources/templates/list", "resources/read",
            "resources/subscribe", "resources/unsubscribe", "completion/complete", "logging/setLevel",
            "tasks/get", "tasks/result", "tasks/cancel", "tasks/list", "tasks/update");

    private final McpContext context;
    private final RequestRouter router;

    public RequestRunner(McpContext context, RequestRouter router) {
        this.context = context;
        this.router = router;
    }

    /** Starts serving {@code request} in {@code session}; its messages and response go to {@code stream}. */
    public void run(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller, Visibility visibility) {
        String method = request.path("method").asText();
        String target = router.targetOf(request);
        long start = System.nanoTime();
        session.enter();
        context.executor().execute(() -> {
            ObjectNode response;
            try {
                response = router.handle(session, request, stream, caller, visibility);
            } catch (RuntimeException e) {
                LOG.error("MCP request {} failed", method, e);
                response = JsonRpc.error(request.get("id"), JsonRpc.INTERNAL_ERROR, "Internal error: " + e);
            } finally {
                session.exit();
            }
            context.metrics().request(metricMethod(method), target, !JsonRpc.isError(response), System.nanoTime() - start);
            stream.finish(response);
        });
    }

    /** Client-chosen method names are unbounded: meter only known ones by name. */
    private static String metricMethod(String method) {
        return KNOWN_METHODS.contains(method) ? method : "other";
    }
}
