package dev.agentgateway.policy.auth;

/** How strictly an {@link Authentication} policy enforces, so that users can roll it out gradually. */
public enum AuthMode {
    /** A request without a valid credential is answered 401. */
    REQUIRED,
    /** A request without a credential passes as anonymous; an invalid credential is still answered 401. */
    OPTIONAL,
    /** Nothing is refused: invalid or missing credentials are logged and counted, and the request passes. */
    PERMISSIVE
}
