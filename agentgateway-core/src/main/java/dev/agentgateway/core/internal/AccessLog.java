package dev.agentgateway.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One structured line per request on the logger {@code dev.agentgateway.access}, with SLF4J key-value
 * pairs (rendered as {@code key=value} by simple back ends, as fields by JSON encoders). The path is
 * logged without its query string, which may carry credentials (such as Gemini's {@code ?key=}).
 */
final class AccessLog {
    static final Logger LOG = LoggerFactory.getLogger("dev.agentgateway.access");

    private AccessLog() {
    }

    static void write(String id, String gateway, String method, String path, String protocol, String client,
                      String route, String backend, int status, long bytes, long nanos, String error) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        var event = LOG.atInfo()
                .addKeyValue("id", id)
                .addKeyValue("gateway", gateway)
                .addKeyValue("method", method)
                .addKeyValue("path", path)
                .addKeyValue("protocol", protocol)
                .addKeyValue("client", client)
                .addKeyValue("route", route)
                .addKeyValue("backend", backend)
                .addKeyValue("status", status)
                .addKeyValue("bytes", bytes)
                .addKeyValue("duration_ms", String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e6));
        if (error != null) {
            event = event.addKeyValue("error", error);
        }
        event.log("request");
    }
}
