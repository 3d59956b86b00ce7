package dev.agentgateway.a2a.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A request of the REST (HTTP+JSON) binding, recognised from its verb and the end of its path, so that
 * it is found whatever base path or tenant segment the interface sits under: {@code POST .../message:send},
 * {@code GET .../tasks/{id}}, {@code POST .../tasks/{id}:cancel}... v0.3 puts {@code /v1} before these.
 *
 * @param method the operation
 * @param taskId the task id from the path (decoded), or {@code null}
 * @param v1Prefix whether the operation follows a {@code /v1} segment (the v0.3 spelling)
 */
public record RestCall(A2aMethod method, String taskId, boolean v1Prefix) {

    /** The REST operation of {@code httpMethod} on {@code path} (raw, below the route), or {@code null}. */
    public static RestCall match(String httpMethod, String path) {
        String[] segments = path.split("/", -1);
        int n = segments.length;
        if (n < 2) {
            return null;
        }
        String last = segments[n - 1];
        String before = n >= 2 ? segments[n - 2] : "";
        String third = n >= 3 ? segments[n - 3] : "";
        String fourth = n >= 4 ? segments[n - 4] : "";
        boolean post = httpMethod.equals("POST");
        boolean get = httpMethod.equals("GET");
        if (post && last.equals("message:send")) {
            return new RestCall(A2aMethod.SEND_MESSAGE, null, before.equals("v1"));
        }
        if (post && last.equals("message:stream")) {
            return new RestCall(A2aMethod.SEND_STREAMING_MESSAGE, null, before.equals("v1"));
        }
        if (before.equals("tasks") && last.endsWith(":cancel") && post) {
            return new RestCall(A2aMethod.CANCEL_TASK, decode(last.substring(0, last.length() - 7)), third.equals("v1"));
        }
        if (before.equals("tasks") && last.endsWith(":subscribe") && (post || get)) {
            return new RestCall(A2aMethod.SUBSCRIBE_TO_TASK, decode(last.substring(0, last.length() - 10)), third.equals("v1"));
        }
        if (last.equals("pushNotificationConfigs") && third.equals("tasks")) {
            boolean v1 = fourth.equals("v1");
            if (post) {
                return new RestCall(A2aMethod.CREATE_PUSH_CONFIG, decode(before), v1);
            }
            if (get) {
                return new RestCall(A2aMethod.LIST_PUSH_CONFIGS, decode(before), v1);
            }
        }
        if (before.equals("pushNotificationConfigs") && fourth.equals("tasks")) {
            boolean v1 = n >= 5 && segments[n - 5].equals("v1");
            if (get) {
                return new RestCall(A2aMethod.GET_PUSH_CONFIG, decode(third), v1);
            }
            if (httpMethod.equals("DELETE")) {
                return new RestCall(A2aMethod.DELETE_PUSH_CONFIG, decode(third), v1);
            }
        }
        if (get && before.equals("tasks") && !last.isEmpty()) {
            return new RestCall(A2aMethod.GET_TASK, decode(last), third.equals("v1"));
        }
        if (get && last.equals("tasks")) {
            return new RestCall(A2aMethod.LIST_TASKS, null, before.equals("v1"));
        }
        if (get && last.equals("card") && before.equals("v1")) {
            return new RestCall(A2aMethod.GET_EXTENDED_CARD, null, true);
        }
        if (get && last.equals("extendedAgentCard")) {
            return new RestCall(A2aMethod.GET_EXTENDED_CARD, null, false);
        }
        return null;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
