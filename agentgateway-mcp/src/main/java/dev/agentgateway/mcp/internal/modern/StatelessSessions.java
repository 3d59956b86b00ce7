package dev.agentgateway.mcp.internal.modern;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.Principal;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import dev.agentgateway.mcp.internal.ProtocolVersions;
import dev.agentgateway.mcp.internal.downstream.DownstreamSession;
import dev.agentgateway.mcp.internal.downstream.Initializer;
import dev.agentgateway.mcp.internal.downstream.SessionOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstream sessions behind stateless (modern era) requests. Legacy targets need a session; opening
 * one per request would cost an {@code initialize} round trip per call, so requests of one principal
 * that declare the same client capabilities share a gateway-held {@link DownstreamSession}, begun on
 * first use as if that client had sent {@code initialize}. Keyed by principal so that one caller's
 * session-scoped upstream state (resources a tool created, say) is never another's, and by capabilities
 * because a legacy target decides at {@code initialize} what it may ask of the client. Idle contexts
 * end after the session idle timeout; at most {@code maxSessions} live, the one unused the longest
 * ending first.
 */
final class StatelessSessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatelessSessions.class);

    private final McpContext context;
    private final Initializer initializer;
    private final Map<Key, CompletableFuture<StatelessContext>> contexts = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;

    private record Key(String owner, String capabilities) {
    }

    StatelessSessions(McpContext context, Initializer initializer) {
        this.context = context;
        this.initializer = initializer;
        long period = Math.max(100, Math.min(30_000, context.settings().sessionIdleTimeout().toMillis() / 4));
        this.sweeper = context.scheduler().scheduleWithFixedDelay(
                () -> context.executor().execute(this::sweep), period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * The context for this caller and these capabilities, begun now if there is none; throws
     * {@link ContextFailed} with the JSON-RPC error when no target could be reached.
     */
    StatelessContext acquire(Principal principal, Caller caller, ObjectNode capabilities, ObjectNode clientInfo) {
        Key key = new Key(SessionOwner.of(principal), Canonical.of(capabilities));
        while (true) {
            CompletableFuture<StatelessContext> created = new CompletableFuture<>();
            CompletableFuture<StatelessContext> existing = contexts.putIfAbsent(key, created);
            if (existing == null) {
                try {
                    StatelessContext begun = begin(principal, caller, capabilities, clientInfo);
                    created.complete(begun);
                    evictBeyondMax(begun);
                    return begun;
                } catch (RuntimeException e) {
                    contexts.remove(key, created);
                    created.completeExceptionally(e);
                    throw e;
                }
            }
            StatelessContext found;
            try {
                found = existing.join();
            } catch (RuntimeException e) {
                if (e.getCause() instanceof ContextFailed failed) {
                    throw failed; // the concurrent attempt failed for the same reason this one would
                }
                throw e;
            }
            if (!found.session().isClosed()) {
                found.session().onBehalfOf(caller);
                return found;
            }
            contexts.remove(key, existing); // swept or evicted meanwhile: begin anew
        }
    }

    private StatelessContext begin(Principal principal, Caller caller, ObjectNode capabilities, ObjectNode clientInfo) {
        StatelessContext[] holder = new StatelessContext[1];
        DownstreamSession session = DownstreamSession.stateless(context, principal, message -> holder[0].unrelated(message));
        session.onBehalfOf(caller);
        StatelessContext created = new StatelessContext(context, session);
        holder[0] = created;
        ObjectNode params = context.json().object();
        params.put("protocolVersion", ProtocolVersions.LATEST);
        params.set("capabilities", capabilities.deepCopy());
        params.set("clientInfo", clientInfo.deepCopy());
        ObjectNode response = initializer.initialize(session, JsonRpc.request(TextNode.valueOf("agw-stateless"), "initialize", params));
        if (JsonRpc.isError(response)) {
            throw new ContextFailed(response.path("error").path("message").asText("initialize failed"));
        }
        created.initializeResult((ObjectNode) response.get("result"));
        LOG.debug("stateless context begun for {} capabilities", capabilities.size() == 0 ? "no" : "declared");
        return created;
    }

    private void sweep() {
        long idle = context.settings().sessionIdleTimeout().toNanos();
        for (Map.Entry<Key, CompletableFuture<StatelessContext>> entry : contexts.entrySet()) {
            CompletableFuture<StatelessContext> future = entry.getValue();
            if (future.isDone() && !future.isCompletedExceptionally() && future.join().session().idleNanos() > idle) {
                contexts.remove(entry.getKey(), future);
                future.join().close();
            }
        }
    }

    private void evictBeyondMax(StatelessContext keep) {
        int max = context.settings().maxSessions();
        while (contexts.size() > max) {
            Map.Entry<Key, CompletableFuture<StatelessContext>> victim = null;
            for (Map.Entry<Key, CompletableFuture<StatelessContext>> entry : contexts.entrySet()) {
                CompletableFuture<StatelessContext> future = entry.getValue();
                if (!future.isDone() || future.isCompletedExceptionally() || future.join() == keep) {
                    continue;
                }
                if (victim == null || older(future.join().session(), victim.getValue().join().session())) {
                    victim = entry;
                }
            }
            if (victim == null) {
                return;
            }
            contexts.remove(victim.getKey(), victim.getValue());
            context.metrics().sessionEvicted();
            victim.getValue().join().close();
        }
    }

    private static boolean older(DownstreamSession a, DownstreamSession b) {
        boolean aIdle = a.idleNanos() > 0;
        boolean bIdle = b.idleNanos() > 0;
        return aIdle != bIdle ? aIdle : a.lastUsedNanos() - b.lastUsedNanos() < 0;
    }

    /** Ends every open listen stream (the gateway drains). */
    void endSubscriptions() {
        for (CompletableFuture<StatelessContext> future : contexts.values()) {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                future.join().endSubscriptions();
            }
        }
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        for (CompletableFuture<StatelessContext> future : contexts.values()) {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                future.join().close();
            }
        }
        contexts.clear();
    }

    /** No target could be reached for a new context: the message for the client's error. */
    static final class ContextFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ContextFailed(String message) {
            super(message, null, false, false);
        }
    }
}
