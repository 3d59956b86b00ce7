package dev.agentgateway.policy.extauthz;

import java.util.Map;

/**
 * What an authorization service answered, whatever the transport.
 *
 * @param allowed whether the request may go on
 * @param status the HTTP status for the client when denied (401 or 403)
 * @param message a sentence for the client when denied
 * @param upstreamHeaders headers to set on the upstream request when allowed
 * @param clientHeaders headers to add to the denial (such as {@code WWW-Authenticate})
 */
record Verdict(boolean allowed, int status, String message, Map<String, String> upstreamHeaders,
               Map<String, String> clientHeaders) {
    /** The longest answer body used as the denial's message; longer ones are replaced by a generic sentence. */
    static final int MAX_MESSAGE = 200;

    Verdict {
        upstreamHeaders = Map.copyOf(upstreamHeaders);
        clientHeaders = Map.copyOf(clientHeaders);
    }

    static Verdict allow(Map<String, String> upstreamHeaders) {
        return new Verdict(true, 200, "", upstreamHeaders, Map.of());
    }

    /** A denial; any status but 401 becomes 403, as the policy documents. */
    static Verdict deny(int status, String message, Map<String, String> clientHeaders) {
        return new Verdict(false, status == 401 ? 401 : 403, message, Map.of(), clientHeaders);
    }
}
