package dev.agentgateway.a2a.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Finds the push-notification configs (webhook URL, token, credentials) in a request's parameters, in
 * the places both generations put them: {@code configuration.pushNotificationConfig} (v0.3 send),
 * {@code configuration.taskPushNotificationConfig} (v1.0 send), {@code pushNotificationConfig} (v0.3
 * set), the parameters themselves (v1.0 create), in camelCase or snake_case.
 */
final class PushConfigs {
    private static final List<String> KEYS = List.of("pushNotificationConfig", "push_notification_config",
            "taskPushNotificationConfig", "task_push_notification_config");

    private PushConfigs() {
    }

    /** The config objects with a {@code url} field in {@code params} of a call to {@code method}. */
    static List<ObjectNode> find(JsonNode params, A2aMethod method) {
        List<ObjectNode> found = new ArrayList<>();
        if (!(params instanceof ObjectNode object)) {
            return found;
        }
        switch (method) {
            case SEND_MESSAGE, SEND_STREAMING_MESSAGE -> collect(object.get("configuration"), found);
            case CREATE_PUSH_CONFIG -> {
                if (object.has("url")) {
                    found.add(object);
                }
                collect(object, found);
                collect(object.get("config"), found);
            }
            default -> {
            }
        }
        return found;
    }

    private static void collect(JsonNode holder, List<ObjectNode> found) {
        if (!(holder instanceof ObjectNode object)) {
            return;
        }
        for (String key : KEYS) {
            if (object.get(key) instanceof ObjectNode config && config.has("url")) {
                found.add(config);
            }
        }
    }

    /** Whether a body may carry push configs at all (a cheap test before parsing it). */
    static boolean mayCarry(byte[] body, A2aMethod method) {
        if (method == A2aMethod.CREATE_PUSH_CONFIG) {
            return true;
        }
        if (method != A2aMethod.SEND_MESSAGE && method != A2aMethod.SEND_STREAMING_MESSAGE) {
            return false;
        }
        return contains(body, CAMEL) || contains(body, SNAKE);
    }

    private static final byte[] CAMEL = "ushNotificationConfig".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SNAKE = "ush_notification_config".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(byte[] body, byte[] word) {
        outer:
        for (int i = 0; i <= body.length - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (body[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
