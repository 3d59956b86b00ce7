package dev.agentgateway.a2a;

import dev.agentgateway.core.AttributeKey;

/**
 * What the agent answered, as the gateway observed it while relaying the response (never by buffering a
 * stream). Recorded on the exchange when the response has been sent: read it from an
 * {@link dev.agentgateway.core.Exchange#onComplete} listener, for example to bind a new task id to the
 * principal that created it.
 *
 * @param outcome {@code success}, {@code error}, {@code aborted} (the stream broke off) or {@code unknown}
 * @param errorCode the JSON-RPC error code (JSON-RPC binding) or HTTP status (REST binding) of an error, else {@code ""}
 * @param taskId the task id the answer carries, or {@code null}
 * @param contextId the context id the answer carries, or {@code null}
 * @param taskState the last task state seen ({@code working}, {@code completed}, {@code input_required}...), or {@code null}
 * @param streamEvents the number of server-sent events relayed (0 for plain responses)
 */
public record A2aResult(String outcome, String errorCode, String taskId, String contextId, String taskState,
                        int streamEvents) {

    /** The exchange attribute under which the result is recorded. */
    public static final AttributeKey<A2aResult> KEY = AttributeKey.of("a2a.result", A2aResult.class);
}
