package dev.agentgateway.a2a;

import dev.agentgateway.core.AttributeKey;

/**
 * What an A2A request asks for, recorded on the exchange by {@link A2aBackend} before policies run, so
 * that authorization, rate limits and logs can decide per agent, method, skill and task. The same facts
 * travel protocol-neutrally as a core {@link dev.agentgateway.core.Operation} ({@code protocol "a2a"},
 * resource type {@code Agent}).
 *
 * <pre>{@code
 * A2aCall call = exchange.attribute(A2aCall.KEY);
 * if (call != null && call.method().equals("CancelTask") && !isAdmin(exchange.principal())) { ... }
 * }</pre>
 *
 * @param agent the agent's name (the backend's {@code agentName}, else the route's name)
 * @param binding how the request reached the gateway
 * @param version the A2A protocol version spoken ({@code "1.0"}, {@code "0.3"}) or {@code ""} when unknown:
 *                the {@code A2A-Version} header when sent, else what the method name or REST path implies
 * @param method the operation under its v1.0 name whatever generation was spoken ({@code SendMessage},
 *               {@code GetTask}, ...), {@code GetAgentCard} for the card, {@code other} for anything unknown
 * @param wireMethod the JSON-RPC method exactly as sent ({@code message/send}), or the HTTP method and path for REST
 * @param taskId the task the request is about, or {@code null}
 * @param contextId the context id sent, or {@code null}
 * @param messageId the id of the message sent, or {@code null}
 * @param skill the skill asked for: named in the message's or request's metadata ({@code skillId}), or the
 *              agent's only skill; {@code null} when not known
 * @param streaming whether the answer is a server-sent-event stream
 */
public record A2aCall(String agent, Binding binding, String version, String method, String wireMethod, String taskId,
                      String contextId, String messageId, String skill, boolean streaming) {

    /** The exchange attribute under which the call is recorded. */
    public static final AttributeKey<A2aCall> KEY = AttributeKey.of("a2a.call", A2aCall.class);

    /** How a request reached the gateway. */
    public enum Binding {
        /** JSON-RPC 2.0 over HTTP POST. */
        JSONRPC,
        /** The HTTP+JSON (REST) binding. */
        REST,
        /** A fetch of the public agent card. */
        AGENT_CARD,
        /** A push notification delivered by the agent to the gateway's relay. */
        PUSH_RELAY,
        /** Any other HTTP request to the agent, passed through. */
        HTTP
    }
}
