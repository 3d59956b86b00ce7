package dev.agentgateway.policy.auth;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;

/**
 * One way of recognising a caller: a JWT, an API key, a user name and password. An
 * {@link Authentication} policy asks its authenticators in order; the first that finds a credential it
 * recognises decides, so one route can take JWTs <em>or</em> API keys.
 *
 * <p>An authenticator answers {@link AuthResult#absent()} when the request carries nothing for it,
 * {@link AuthResult#authenticated} with the caller, or {@link AuthResult#rejected} when it found its
 * kind of credential and the credential is not valid. It never logs the credential.
 */
public interface Authenticator {

    /** The scheme recorded on the principal and in metrics, for example {@code "jwt"}. */
    String scheme();

    /** Looks for this authenticator's credential on the request and checks it. */
    AuthResult authenticate(Exchange exchange) throws Exception;

    /**
     * The {@code WWW-Authenticate} value offered to a client that must authenticate, for example
     * {@code Bearer realm="agentgateway"}; {@code rejection} is the reason a credential was refused, or
     * {@code null} when none was presented.
     */
    String challenge(AuthResult.Rejected rejection);

    /**
     * The challenge for this exchange: what {@link Authentication} sends. Authenticators whose challenge
     * names something about the request (such as the protected-resource metadata URL of the resource
     * asked for) override this; the default is {@link #challenge(AuthResult.Rejected)}.
     */
    default String challenge(AuthResult.Rejected rejection, Exchange exchange) {
        return challenge(rejection);
    }

    /** Returns the instance serving one gateway (key caches, file watchers); stateless ones return {@code this}. */
    default Authenticator bind(GatewayContext gateway) throws Exception {
        return this;
    }

    /** Releases what {@link #bind} acquired. */
    default void close() throws Exception {
    }
}
