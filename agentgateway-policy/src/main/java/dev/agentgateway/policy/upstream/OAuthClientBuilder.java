package dev.agentgateway.policy.upstream;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.agentgateway.core.Checks;
import dev.agentgateway.policy.upstream.internal.TokenEndpoint;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What {@link ClientCredentials.Builder} and {@link TokenExchange.Builder} share: where the token
 * endpoint is, how the gateway authenticates to it, what it asks for, and how tokens are cached.
 *
 * <pre>{@code
 * ClientCredentials.builder()
 *         .issuer("https://sso.example.com/realms/agents")    // or .tokenEndpoint("https://.../token")
 *         .clientSecretBasic("agentgateway", System.getenv("GATEWAY_CLIENT_SECRET"))
 *         .scopes("tools.read")
 *         .resource("https://tools.example.com/mcp")
 *         .build();
 * }</pre>
 *
 * <p>Defaults: a 5 s fetch timeout (connect and read), refresh when less than max(30 s, 10% of the
 * token's lifetime) remains (but not before half of it has passed), and a lifetime of 5 minutes for a
 * token whose response has no {@code expires_in}.
 *
 * @param <B> the concrete builder
 */
public abstract class OAuthClientBuilder<B extends OAuthClientBuilder<B>> {
    private URI tokenEndpoint;
    private String issuer;
    private BiFunction<ClientID, Secret, ClientAuthentication> authentication;
    private String clientId;
    private String clientSecret;
    private final Set<String> scopes = new LinkedHashSet<>();
    private final List<URI> resources = new ArrayList<>();
    private final List<String> audiences = new ArrayList<>();
    private Duration fetchTimeout = Duration.ofSeconds(5);
    private Duration refreshMargin = Duration.ofSeconds(30);
    private Duration defaultLifetime = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    OAuthClientBuilder() { // only the two builders of this package
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The token endpoint's URL; this or {@link #issuer(String)}. */
    public B tokenEndpoint(String uri) {
        URI parsed = URI.create(requireNonNull(uri, "uri"));
        if (!parsed.isAbsolute()) {
            throw new IllegalArgumentException("tokenEndpoint must be an absolute URL: " + uri);
        }
        this.tokenEndpoint = parsed;
        return self();
    }

    /**
     * The issuer whose metadata names the token endpoint: {@code <issuer>/.well-known/openid-configuration},
     * else the RFC 8414 {@code /.well-known/oauth-authorization-server} document. Fetched on first use
     * (the gateway starts while the identity provider is down) and kept once found; this or
     * {@link #tokenEndpoint(String)}.
     */
    public B issuer(String issuer) {
        requireNonNull(issuer, "issuer");
        if (!URI.create(issuer).isAbsolute()) {
            throw new IllegalArgumentException("issuer must be an absolute URL: " + issuer);
        }
        this.issuer = issuer;
        return self();
    }

    /** The gateway's client, authenticated with HTTP basic authentication ({@code client_secret_basic}). */
    public B clientSecretBasic(String clientId, String clientSecret) {
        return client(clientId, clientSecret, ClientSecretBasic::new);
    }

    /** The gateway's client, authenticated with form parameters ({@code client_secret_post}). */
    public B clientSecretPost(String clientId, String clientSecret) {
        return client(clientId, clientSecret, ClientSecretPost::new);
    }

    private B client(String id, String secret, BiFunction<ClientID, Secret, ClientAuthentication> method) {
        if (requireNonNull(id, "clientId").isBlank() || requireNonNull(secret, "clientSecret").isEmpty()) {
            throw new IllegalArgumentException("clientId and clientSecret must not be empty");
        }
        this.clientId = id;
        this.clientSecret = secret;
        this.authentication = method;
        return self();
    }

    /** Scopes to request ({@code scope}). */
    public B scopes(String... scopes) {
        for (String scope : scopes) {
            if (requireNonNull(scope, "scope").isBlank() || scope.contains(" ")) {
                throw new IllegalArgumentException("a scope must be one non-blank word: '" + scope + "'");
            }
            this.scopes.add(scope);
        }
        return self();
    }

    /** RFC 8707 {@code resource} parameters: the absolute URIs of the upstreams the token is for. */
    public B resource(String... resources) {
        for (String resource : resources) {
            URI uri = URI.create(requireNonNull(resource, "resource"));
            if (!uri.isAbsolute() || uri.getFragment() != null) {
                throw new IllegalArgumentException("a resource must be an absolute URI without a fragment: " + resource);
            }
            this.resources.add(uri);
        }
        return self();
    }

    /** {@code audience} parameters: the logical names of the upstreams the token is for. */
    public B audience(String... audiences) {
        for (String audience : audiences) {
            if (requireNonNull(audience, "audience").isBlank()) {
                throw new IllegalArgumentException("audience must not be blank");
            }
            this.audiences.add(audience);
        }
        return self();
    }

    /** Connect and read timeout of each request to the identity provider; 5 s by default. */
    public B fetchTimeout(Duration timeout) {
        this.fetchTimeout = Checks.positive(timeout, "fetchTimeout");
        return self();
    }

    /**
     * How long before expiry at least a token is refreshed; 30 s by default. A token is refreshed
     * when less than max(this, 10% of its lifetime) remains, but not before half of its lifetime.
     */
    public B refreshMargin(Duration margin) {
        this.refreshMargin = Checks.positive(margin, "refreshMargin");
        return self();
    }

    /** The lifetime assumed for a token whose response has no {@code expires_in}; 5 minutes by default. */
    public B defaultLifetime(Duration lifetime) {
        this.defaultLifetime = Checks.positive(lifetime, "defaultLifetime");
        return self();
    }

    /** The clock expiry is measured with; for tests. */
    B clock(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        return self();
    }

    TokenEndpoint endpoint(String kind) {
        if ((tokenEndpoint == null) == (issuer == null)) {
            throw new IllegalStateException(kind + " needs exactly one of tokenEndpoint and issuer");
        }
        if (authentication == null) {
            throw new IllegalStateException(kind + " needs the gateway's client: clientSecretBasic or clientSecretPost");
        }
        ClientAuthentication auth = authentication.apply(new ClientID(clientId), new Secret(clientSecret));
        Scope scope = scopes.isEmpty() ? null : new Scope(scopes.toArray(String[]::new));
        return new TokenEndpoint(tokenEndpoint, issuer, auth, fetchTimeout, scope, resources, defaultLifetime,
                refreshMargin, clock);
    }

    boolean hasResources() {
        return !resources.isEmpty();
    }

    List<String> audiences() {
        return List.copyOf(audiences);
    }
}
