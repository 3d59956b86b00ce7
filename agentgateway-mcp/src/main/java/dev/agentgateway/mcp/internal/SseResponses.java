package dev.agentgateway.mcp.internal;

import dev.agentgateway.core.Body;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.http.HttpFields;

/** Event-stream responses as MCP sends them: never cached, never buffered by proxies in between. */
public final class SseResponses {
    private SseResponses() {
    }

    /** A 200 {@code text/event-stream} response whose body {@code writer} writes. */
    public static Response of(Body.Writer writer) {
        Response response = Response.of(200, HttpFields.build(), Body.writer(writer));
        response.header("Content-Type", "text/event-stream");
        response.header("Cache-Control", "no-cache");
        response.header("X-Accel-Buffering", "no");
        return response;
    }
}
