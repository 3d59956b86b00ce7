package dev.agentgateway.policy.upstream;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.UpstreamCredentials;
import dev.agentgateway.policy.upstream.internal.TokenEndpoint;
import dev.agentgateway.policy.upstream.internal.TokenSlot;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The gateway's own identity towards an upstream: an access token from the OAuth 2.0 client
 * credentials grant (RFC 6749 section 4.4), sent as {@code Authorization: Bearer} on every upstream
 * request, whoever the caller is.
 *
 * <pre>{@code
 * UpstreamCredentials github = ClientCredentials.builder()
 *         .issuer("https://sso.example.com/realms/agents")       // token_endpoint from discovery, on first use
 *         .clientSecretBasic("agentgateway", System.getenv("GATEWAY_CLIENT_SECRET"))
 *         .scopes("repo.read")
 *         .resource("https://github-mcp.internal/mcp")            // RFC 8707
 *         .build();
 * McpTarget.streamableHttp("github", URI.create("https://github-mcp.internal/mcp")).withCredentials(github);
 * }</pre>
 *
 * <p>One token is cached and refreshed before it expires (see {@link OAuthClientBuilder}); at most one
 * request to the token endpoint runs at a time, and callers that need the token meanwhile wait for it
 * instead of sending their own. When a refresh fails while the cached token is still valid, that token
 * keeps being served (a warning is logged, at most once a minute) and the refresh is retried after
 * {@link TokenSlot#RETRY_AFTER_FAILURE 5 s}; with no valid token, {@link #headers} throws an
 * {@link IOException} naming the token endpoint and its OAuth error. Tokens of another type than
 * {@code Bearer} (DPoP, for instance) are refused: the gateway cannot present them.
 */
public final class ClientCredentials implements UpstreamCredentials {
    private final TokenEndpoint endpoint;
    private final Map<String, List<String>> parameters;
    private final TokenSlot slot;

    private ClientCredentials(Builder b) {
        this.endpoint = b.endpoint("ClientCredentials");
        // "audience" is no standard parameter of this grant; Auth0 and others read it
        this.parameters = b.audiences().isEmpty() ? Map.of() : Map.of("audience", b.audiences());
        this.slot = new TokenSlot(endpoint.clock(), new TokenSlot.WarningLimiter());
    }

    /** A builder; a token endpoint (or issuer) and the gateway's client are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code Authorization: Bearer <token>}, the same for every caller. */
    @Override
    public Map<String, String> headers(Caller caller) throws IOException {
        return Map.of("Authorization", "Bearer " + accessToken());
    }

    /** The current access token, fetched when needed. */
    String accessToken() throws IOException {
        return slot.get(() -> endpoint.request("client credentials", new ClientCredentialsGrant(), parameters, false),
                "client credentials token");
    }

    @Override
    public String toString() { // never the secret or the token
        return "ClientCredentials[" + endpoint + "]";
    }

    /** Configures a {@link ClientCredentials}. */
    public static final class Builder extends OAuthClientBuilder<Builder> {
        private Builder() {
        }

        /**
         * The credentials.
         *
         * @throws IllegalStateException when the token endpoint (or issuer) or the client is missing
         */
        public ClientCredentials build() {
            return new ClientCredentials(this);
        }
    }
}
