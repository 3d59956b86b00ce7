package dev.agentgateway.core;

import org.eclipse.jetty.http.HttpHeader;

/**
 * Whom a request to an upstream is made for: what {@link UpstreamCredentials} decide on. Protocol
 * modules that call upstreams on their own (MCP fan-out, session set-up) carry it from the exchange
 * that caused the call.
 *
 * @param principal the authenticated caller, or {@code null} for an anonymous one
 * @param credential the credential an authentication policy accepted, or {@code null}
 * @param authorization the client's {@code Authorization} header as it reached the backend (an
 *        authentication policy removes it unless it passes it through), or {@code null}
 */
public record Caller(Principal principal, Credential credential, String authorization) {

    /** No principal, no credential: for calls no client request caused. */
    public static final Caller ANONYMOUS = new Caller(null, null, null);

    /** The caller of an exchange. */
    public static Caller of(Exchange exchange) {
        return new Caller(exchange.principal(), exchange.credential(), exchange.requestHeaders().get(HttpHeader.AUTHORIZATION));
    }

    /**
     * The caller's bearer token: the one an authentication policy accepted, else the one in the
     * {@code Authorization} header; {@code null} when there is none.
     */
    public String bearerToken() {
        if (credential != null && credential.isBearer()) {
            return credential.value();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).strip();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    @Override
    public String toString() { // never the credential or the header
        return "Caller[" + (principal == null ? "anonymous" : principal.scheme() + ":" + principal.subject()) + "]";
    }
}
