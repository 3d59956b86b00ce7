package dev.agentgateway.a2a.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The operations of A2A, under their v1.0 JSON-RPC names, with the v0.3 name of each and the action
 * word policies see. {@link #OTHER} stands for a method the gateway does not know (passed through).
 */
public enum A2aMethod {
    SEND_MESSAGE("SendMessage", "message/send", "send_message", false),
    SEND_STREAMING_MESSAGE("SendStreamingMessage", "message/stream", "send_streaming_message", true),
    GET_TASK("GetTask", "tasks/get", "get_task", false),
    LIST_TASKS("ListTasks", "tasks/list", "list_tasks", false),
    CANCEL_TASK("CancelTask", "tasks/cancel", "cancel_task", false),
    SUBSCRIBE_TO_TASK("SubscribeToTask", "tasks/resubscribe", "subscribe_to_task", true),
    CREATE_PUSH_CONFIG("CreateTaskPushNotificationConfig", "tasks/pushNotificationConfig/set",
            "create_push_notification_config", false),
    GET_PUSH_CONFIG("GetTaskPushNotificationConfig", "tasks/pushNotificationConfig/get",
            "get_push_notification_config", false),
    LIST_PUSH_CONFIGS("ListTaskPushNotificationConfigs", "tasks/pushNotificationConfig/list",
            "list_push_notification_configs", false),
    DELETE_PUSH_CONFIG("DeleteTaskPushNotificationConfig", "tasks/pushNotificationConfig/delete",
            "delete_push_notification_config", false),
    GET_EXTENDED_CARD("GetExtendedAgentCard", "agent/getAuthenticatedExtendedCard", "get_extended_agent_card", false),
    /** The public agent card at {@code /.well-known/agent-card.json} (not a JSON-RPC method). */
    GET_CARD("GetAgentCard", null, "get_agent_card", false),
    /** A push notification an agent sends to the gateway's relay (not a JSON-RPC method). */
    PUSH_DELIVERY("PushNotification", null, "deliver_push_notification", false),
    /** Anything else: an unknown JSON-RPC method or an HTTP request the gateway does not recognise. */
    OTHER("other", null, "other", false);

    private static final Map<String, A2aMethod> BY_WIRE_NAME = new HashMap<>();

    static {
        for (A2aMethod method : values()) {
            if (method.v03Name != null) {
                BY_WIRE_NAME.put(method.v03Name, method);
                BY_WIRE_NAME.put(method.v10Name, method);
            }
        }
        BY_WIRE_NAME.put("ListTaskPushNotificationConfig", LIST_PUSH_CONFIGS); // spelling of some v1.0 drafts
    }

    private final String v10Name;
    private final String v03Name;
    private final String action;
    private final boolean streaming;

    A2aMethod(String v10Name, String v03Name, String action, boolean streaming) {
        this.v10Name = v10Name;
        this.v03Name = v03Name;
        this.action = action;
        this.streaming = streaming;
    }

    /** The method a JSON-RPC {@code method} names, or {@link #OTHER}. */
    public static A2aMethod ofJsonRpc(String wireName) {
        return wireName == null ? OTHER : BY_WIRE_NAME.getOrDefault(wireName, OTHER);
    }

    /**
     * The protocol version a JSON-RPC method name implies: the two generations use disjoint names
     * ({@code message/send} is 0.3, {@code SendMessage} 1.0). Empty when the name says nothing.
     */
    public static String versionOfJsonRpc(String wireName) {
        A2aMethod method = ofJsonRpc(wireName);
        if (method == OTHER || wireName == null) {
            return "";
        }
        return wireName.equals(method.v03Name) ? "0.3" : "1.0";
    }

    /** The v1.0 name, used as the {@code method} of metrics whatever generation was spoken. */
    public String v10Name() {
        return v10Name;
    }

    /** The v0.3 JSON-RPC name, or {@code null} when the operation has none. */
    public String v03Name() {
        return v03Name;
    }

    /** The action word of the policy model, such as {@code send_message}. */
    public String action() {
        return action;
    }

    /** Whether the answer is a server-sent-event stream. */
    public boolean streaming() {
        return streaming;
    }

    /** Whether the call may run for minutes (a blocking send, or a stream). */
    public boolean longRunning() {
        return this == SEND_MESSAGE || streaming;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
