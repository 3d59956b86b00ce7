package dev.agentgateway.mcp.internal.modern;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.McpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls waiting for a modern client's input (MRTR bridged to a legacy target). The target sent the
 * client a request during a call and blocks until it is answered; the gateway has answered the client
 * with {@code input_required} and a {@code requestState}, and keeps the call here until the retry.
 *
 * <p>The {@code requestState} is sealed (AES-GCM, {@link dev.agentgateway.mcp.internal.SealedTokens})
 * and names the waiting call, its round, the principal and a digest of the request, with an expiry: a
 * client cannot forge one, use another caller's, use it for another request, or replay an answered
 * round (each round's state is good once; the next round has a new one). The calls live in this
 * gateway's memory: a retry that reaches another replica is refused, so MRTR through several replicas
 * needs sticky routing.
 */
final class InputRounds implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InputRounds.class);
    private static final String PURPOSE = "mcp-request-state-v1";

    private final McpContext context;
    private final long timeoutMillis;
    private final Map<String, Round> waiting = new ConcurrentHashMap<>();

    /** A call waiting for input: where its messages queue, and the requests the client has yet to answer. */
    static final class Round {
        final String handle;
        final StatelessContext owner;
        final RoundStream stream;
        final String callId;
        final String principal;
        final String digest;
        /** The requests asked and not answered yet, by the key the client answers under. */
        final Map<String, ObjectNode> asked = new LinkedHashMap<>();
        /** The id each asked request was forwarded under in the session, by key. */
        final Map<String, String> forwardedAs = new LinkedHashMap<>();
        int sequence;
        ScheduledFuture<?> expiry;

        private Round(String handle, StatelessContext owner, RoundStream stream, String callId, String principal, String digest) {
            this.handle = handle;
            this.owner = owner;
            this.stream = stream;
            this.callId = callId;
            this.principal = principal;
            this.digest = digest;
        }
    }

    InputRounds(McpContext context) {
        this.context = context;
        this.timeoutMillis = context.settings().inputRequestTimeout().toMillis();
    }

    /** Starts keeping a call that asked for input. */
    Round open(StatelessContext owner, RoundStream stream, String callId, String principal, String digest) {
        Round round = new Round(context.tokens().randomId(18), owner, stream, callId, principal, digest);
        waiting.put(round.handle, round);
        return round;
    }

    /** The sealed state for the round about to be answered to the client; (re)arms the expiry. */
    String state(Round round) {
        synchronized (round) {
            round.sequence = Math.abs(round.sequence) + 1;
        }
        if (round.expiry != null) {
            round.expiry.cancel(false);
        }
        round.expiry = context.scheduler().schedule(() -> expire(round), timeoutMillis, TimeUnit.MILLISECONDS);
        ObjectNode state = context.json().object();
        state.put("h", round.handle);
        state.put("s", round.sequence);
        state.put("d", round.digest);
        state.put("p", round.principal == null ? "" : round.principal);
        state.put("e", System.currentTimeMillis() + timeoutMillis);
        return context.tokens().seal(PURPOSE, context.json().bytes(state));
    }

    /**
     * The waiting call a retry's {@code requestState} names, taken for this retry (no other can take
     * it), or the reason it is refused.
     */
    Object take(String requestState, String principal, String digest) {
        byte[] opened = context.tokens().open(PURPOSE, requestState);
        if (opened == null) {
            return "the requestState was not issued by this gateway or was altered";
        }
        JsonNode state;
        try {
            state = context.json().parse(new String(opened, StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            return "the requestState is malformed";
        }
        if (state.path("e").asLong() < System.currentTimeMillis()) {
            return "the requestState has expired";
        }
        if (!state.path("p").asText().equals(principal == null ? "" : principal)) {
            return "the requestState belongs to another caller";
        }
        if (!state.path("d").asText().equals(digest)) {
            return "the requestState belongs to another request";
        }
        Round round = waiting.get(state.path("h").asText());
        if (round == null) {
            return "the call has ended or expired";
        }
        synchronized (round) {
            if (round.sequence != state.path("s").asInt() || round.sequence < 0) {
                return "the requestState was already used";
            }
            round.sequence = -round.sequence; // taken: the same state cannot be used again
        }
        return round;
    }

    /** The call finished (answered, failed or cancelled): forget it. */
    void done(Round round) {
        waiting.remove(round.handle, round);
        if (round.expiry != null) {
            round.expiry.cancel(false);
        }
    }

    private void expire(Round round) {
        if (waiting.remove(round.handle, round)) {
            LOG.debug("a call waiting for client input expired after {} ms; cancelled at the target", timeoutMillis);
            cancel(round.owner, round.callId, "the client did not answer the input requests in time");
        }
    }

    /** Cancels the call {@code callId} of {@code owner} at its target. */
    void cancel(StatelessContext owner, String callId, String reason) {
        ObjectNode params = context.json().object();
        params.put("requestId", callId);
        params.put("reason", reason);
        owner.session().fromClientNotification(JsonRpc.notification("notifications/cancelled", params), owner.session().caller());
    }

    @Override
    public void close() {
        for (Round round : waiting.values()) {
            if (round.expiry != null) {
                round.expiry.cancel(false);
            }
        }
        waiting.clear();
    }
}
