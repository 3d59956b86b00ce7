package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Principal;

/** What an {@link Authenticator} concluded about one request. */
public sealed interface AuthResult {

    /** The request carries no credential this authenticator recognises. */
    static AuthResult absent() {
        return Absent.INSTANCE;
    }

    /** The caller is {@code principal}; {@code credential} was found at {@code location}. */
    static AuthResult authenticated(Principal principal, Credential credential, CredentialLocation location) {
        return new Authenticated(principal, credential, location);
    }

    /**
     * A credential of this authenticator's kind was found and refused.
     *
     * @param error the RFC 6750 error code: {@code invalid_token} or {@code invalid_request}
     * @param description why, safe to show the client and to log: it never contains the credential
     */
    static AuthResult rejected(String error, String description) {
        return new Rejected(error, description);
    }

    /** No credential for this authenticator. */
    enum Absent implements AuthResult {
        INSTANCE
    }

    /** An accepted credential. */
    record Authenticated(Principal principal, Credential credential, CredentialLocation location) implements AuthResult {
        public Authenticated {
            requireNonNull(principal, "principal");
            requireNonNull(credential, "credential");
            requireNonNull(location, "location");
        }
    }

    /** A refused credential. */
    record Rejected(String error, String description) implements AuthResult {
        /** RFC 6750: the token is expired, revoked, malformed or invalid for other reasons. */
        public static final String INVALID_TOKEN = "invalid_token";
        /** RFC 6750: the request is malformed, for example two {@code Authorization} headers. */
        public static final String INVALID_REQUEST = "invalid_request";

        public Rejected {
            requireNonNull(error, "error");
            requireNonNull(description, "description");
        }
    }
}
