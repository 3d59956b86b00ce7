package dev.agentgateway.core.internal;

import java.util.Set;

/** Method names for meter tags: the standard ones as they are, anything else as {@code _OTHER} (OpenTelemetry's rule). */
public final class HttpMethods {
    private static final Set<String> KNOWN = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

    private HttpMethods() {
    }

    /** {@code method} if it is a standard method, else {@code _OTHER}, so clients cannot blow up meter cardinality. */
    public static String forTag(String method) {
        return KNOWN.contains(method) ? method : "_OTHER";
    }
}
