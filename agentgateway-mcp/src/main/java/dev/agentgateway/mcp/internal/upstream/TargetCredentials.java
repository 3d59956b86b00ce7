package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import dev.agentgateway.core.UpstreamCredentials;
import java.io.IOException;
import java.util.Map;

/** Asks a target's {@link UpstreamCredentials} for the headers of one request, naming the target when they fail. */
final class TargetCredentials {
    private TargetCredentials() {
    }

    /** @param caller the caller, or {@code null} for {@link Caller#ANONYMOUS} */
    static Map<String, String> headers(String target, UpstreamCredentials credentials, Caller caller) throws IOException {
        try {
            Map<String, String> headers = credentials.headers(caller == null ? Caller.ANONYMOUS : caller);
            return headers == null ? Map.of() : headers;
        } catch (IOException | RuntimeException e) {
            // The message of a credentials failure says what failed (token endpoint down, no token for the
            // caller), never a secret; the client sees it as the reason the target could not be reached.
            throw new IOException("no credentials for target '" + target + "': " + e.getMessage(), e);
        }
    }
}
