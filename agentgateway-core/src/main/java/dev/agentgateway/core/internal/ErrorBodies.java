package dev.agentgateway.core.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.agentgateway.core.Response;

/** The gateway's own JSON error body: {@code {"error":{"code":"...","message":"...","status":N}}}. */
final class ErrorBodies {
    private ErrorBodies() {
    }

    static Response error(int status, String code, String message) {
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        String json = "{\"error\":{\"code\":\"" + new String(encoder.quoteAsString(code)) + "\",\"message\":\""
                + new String(encoder.quoteAsString(message)) + "\",\"status\":" + status + "}}";
        return Response.json(status, json);
    }
}
