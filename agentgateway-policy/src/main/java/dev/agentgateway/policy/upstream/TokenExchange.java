package dev.agentgateway.policy.upstream;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.token.TypelessToken;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.UpstreamCredentials;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.upstream.internal.IssuedToken;
import dev.agentgateway.policy.upstream.internal.TokenEndpoint;
import dev.agentgateway.policy.upstream.internal.TokenSlot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * OAuth 2.0 token exchange (RFC 8693): the caller's bearer token is exchanged at the token endpoint
 * for one whose audience is the upstream, so the upstream sees the caller's identity but never a
 * token that was meant for the gateway (MCP forbids passing that through).
 *
 * <pre>{@code
 * UpstreamCredentials onBehalf = TokenExchange.builder()
 *         .tokenEndpoint("https://sso.example.com/realms/agents/protocol/openid-connect/token")
 *         .clientSecretBasic("agentgateway", System.getenv("GATEWAY_CLIENT_SECRET"))
 *         .audience("crm-mcp")                               // and/or .resource("https://crm.internal/mcp")
 *         .scopes("crm.read")
 *         .build();
 * McpTarget.streamableHttp("crm", URI.create("https://crm.internal/mcp")).withCredentials(onBehalf);
 * }</pre>
 *
 * <p>The subject token is {@link Caller#bearerToken()}: the token the authentication policy accepted,
 * else the client's {@code Authorization: Bearer} header. A caller without one fails the upstream
 * request with an {@link IOException}; it is never sent upstream unauthenticated. Exchanged tokens are
 * cached per subject token, keyed by the SHA-256 of its text (the token itself is not kept as a key),
 * refreshed like {@link ClientCredentials}' token, and never served after the subject token's own
 * {@code exp} when it is a JWT (read without verification: it only shortens the cache). The cache holds
 * {@link Builder#maxCacheEntries 10,000} subjects by default and drops the least recently used one
 * when full; exchanges for one subject run one at a time, exchanges for different subjects in parallel.
 *
 * <p>Defaults: subject token type {@code urn:ietf:params:oauth:token-type:access_token}, requested
 * token type the same. An issued token of type {@code Bearer} or {@code N_A} (RFC 8693 section 2.2.1)
 * is sent as {@code Authorization: Bearer}; any other type is refused.
 */
public final class TokenExchange implements UpstreamCredentials {
    private final TokenEndpoint endpoint;
    private final List<Audience> audiences;
    private final TokenTypeURI subjectTokenType;
    private final TokenTypeURI requestedTokenType;
    private final ClientCredentials actor;
    private final TokenSlot.WarningLimiter warnings = new TokenSlot.WarningLimiter();
    private final ReentrantLock cacheLock = new ReentrantLock();
    private final LinkedHashMap<ByteBuffer, TokenSlot> cache;

    private TokenExchange(Builder b) {
        this.endpoint = b.endpoint("TokenExchange");
        if (b.audiences().isEmpty() && !b.hasResources()) {
            throw new IllegalStateException("TokenExchange needs an audience or a resource: whom the token is for");
        }
        this.audiences = Audience.create(b.audiences());
        this.subjectTokenType = b.subjectTokenType;
        this.requestedTokenType = b.requestedTokenType;
        this.actor = b.actor;
        int max = b.maxCacheEntries;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) { // access order: the eldest is the least recently used
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, TokenSlot> eldest) {
                return size() > max;
            }
        };
    }

    /** A builder; a token endpoint (or issuer), the gateway's client and an audience or resource are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code Authorization: Bearer <exchanged token>} for the caller's token.
     *
     * @throws IOException when the caller has no bearer token, or the exchange fails
     */
    @Override
    public Map<String, String> headers(Caller caller) throws IOException {
        String subjectToken = caller.bearerToken();
        if (subjectToken == null) {
            throw new IOException("no caller token to exchange for " + caller);
        }
        String exchanged = slot(subjectToken).get(() -> exchange(subjectToken), "exchanged token");
        return Map.of("Authorization", "Bearer " + exchanged);
    }

    /** How many subject tokens have a cache entry; for tests. */
    int cacheSize() {
        cacheLock.lock();
        try {
            return cache.size();
        } finally {
            cacheLock.unlock();
        }
    }

    private TokenSlot slot(String subjectToken) {
        ByteBuffer key = ByteBuffer.wrap(ApiKeys.sha256(subjectToken));
        cacheLock.lock(); // held only for the map: exchanges run under each slot's own lock
        try {
            return cache.computeIfAbsent(key, k -> new TokenSlot(endpoint.clock(), warnings));
        } finally {
            cacheLock.unlock();
        }
    }

    private IssuedToken exchange(String subjectToken) throws IOException {
        TypelessToken actorToken = actor == null ? null : new TypelessToken(actor.accessToken());
        TokenExchangeGrant grant = new TokenExchangeGrant(new TypelessToken(subjectToken), subjectTokenType, actorToken,
                actorToken == null ? null : TokenTypeURI.ACCESS_TOKEN, requestedTokenType, audiences.isEmpty() ? null : audiences);
        IssuedToken issued = endpoint.request("token exchange", grant, Map.of(), true);
        Instant subjectExpiry = jwtExpiry(subjectToken);
        return subjectExpiry == null ? issued : issued.notAfter(subjectExpiry);
    }

    /** The {@code exp} of a JWT subject token, unverified; {@code null} for an opaque token or none. */
    private static Instant jwtExpiry(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (java.text.ParseException e) {
            return null;
        }
    }

    @Override
    public String toString() { // never a token or the secret
        return "TokenExchange[" + endpoint + ", audience=" + audiences + "]";
    }

    /** Configures a {@link TokenExchange}. */
    public static final class Builder extends OAuthClientBuilder<Builder> {
        private TokenTypeURI subjectTokenType = TokenTypeURI.ACCESS_TOKEN;
        private TokenTypeURI requestedTokenType = TokenTypeURI.ACCESS_TOKEN;
        private ClientCredentials actor;
        private int maxCacheEntries = 10_000;

        private Builder() {
        }

        /**
         * What the caller's token is: {@code urn:ietf:params:oauth:token-type:access_token} (the default)
         * or {@code urn:ietf:params:oauth:token-type:jwt}, for instance.
         */
        public Builder subjectTokenType(String tokenTypeUri) {
            this.subjectTokenType = tokenType(tokenTypeUri);
            return this;
        }

        /** The {@code requested_token_type}; {@code urn:ietf:params:oauth:token-type:access_token} by default. */
        public Builder requestedTokenType(String tokenTypeUri) {
            this.requestedTokenType = tokenType(tokenTypeUri);
            return this;
        }

        /**
         * Delegation (RFC 8693 section 1.1): the gateway's own token, from {@code gateway}, is sent as the
         * {@code actor_token}, so the issued token can name the gateway as the party acting for the caller.
         */
        public Builder actor(ClientCredentials gateway) {
            this.actor = requireNonNull(gateway, "gateway");
            return this;
        }

        /** How many subject tokens the cache holds before it drops the least recently used; 10,000 by default. */
        public Builder maxCacheEntries(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCacheEntries must be positive: " + max);
            }
            this.maxCacheEntries = max;
            return this;
        }

        private static TokenTypeURI tokenType(String uri) {
            try {
                return TokenTypeURI.parse(requireNonNull(uri, "tokenTypeUri"));
            } catch (ParseException e) {
                throw new IllegalArgumentException("not a token type URI: " + uri, e);
            }
        }

        /**
         * The credentials.
         *
         * @throws IllegalStateException when the token endpoint (or issuer), the client, or both audience
         *         and resource are missing
         */
        public TokenExchange build() {
            return new TokenExchange(this);
        }
    }
}
