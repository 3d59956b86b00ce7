package dev.agentgateway.a2a.internal;

import dev.agentgateway.a2a.A2aCall;
import dev.agentgateway.a2a.A2aResult;
import dev.agentgateway.core.AttributeKey;

/** What the gateway knows about one A2A exchange between inspection and completion; used by its thread only. */
final class CallState {
    static final AttributeKey<CallState> KEY = AttributeKey.of("a2a.internal.state", CallState.class);

    final A2aCall call;
    final A2aMethod method;
    /** The JSON-RPC id to echo in errors the gateway gives ({@code "null"} when none). */
    final String idJson;
    /** A body changed by the gateway (relayed push configs), or {@code null}. */
    byte[] rewrittenBody;
    /** The relay id of a push notification posted by the agent, for {@link A2aCall.Binding#PUSH_RELAY}. */
    String relayId;
    AnswerObserver observer;
    boolean streamOpen;
    int httpStatus;
    /** An outcome decided by the gateway itself (an error it answered), or {@code null}. */
    String fixedOutcome;
    String fixedErrorCode;

    CallState(A2aCall call, A2aMethod method, String idJson) {
        this.call = call;
        this.method = method;
        this.idJson = idJson == null ? "null" : idJson;
    }

    void answeredByGateway(String outcome, String errorCode) {
        this.fixedOutcome = outcome;
        this.fixedErrorCode = errorCode;
    }

    /** The result as observed, once the response is done ({@code failure} when it broke off). */
    A2aResult result(Throwable failure) {
        if (fixedOutcome != null) {
            return new A2aResult(fixedOutcome, fixedErrorCode, call.taskId(), call.contextId(), null, 0);
        }
        AnswerObserver o = observer;
        String taskId = o != null && o.taskId() != null ? o.taskId() : call.taskId();
        String contextId = o != null && o.contextId() != null ? o.contextId() : call.contextId();
        String state = o == null ? null : o.state();
        int events = o == null ? 0 : o.events();
        String outcome;
        String errorCode = "";
        if (o != null && o.errorCode() != null) {
            outcome = "error";
            errorCode = o.errorCode();
        } else if (httpStatus >= 400) {
            outcome = "error";
            errorCode = Integer.toString(httpStatus);
        } else if (failure != null) {
            outcome = "aborted";
        } else if (o != null && o.sawAnswer()) {
            outcome = "success";
        } else if (call.binding() == A2aCall.Binding.AGENT_CARD && httpStatus / 100 == 2) {
            outcome = "success";
        } else if (httpStatus / 100 == 2 && (call.binding() == A2aCall.Binding.REST || call.binding() == A2aCall.Binding.HTTP
                || call.binding() == A2aCall.Binding.PUSH_RELAY)) {
            outcome = "success";
        } else {
            outcome = "unknown";
        }
        return new A2aResult(outcome, errorCode, taskId, contextId, state, events);
    }
}
