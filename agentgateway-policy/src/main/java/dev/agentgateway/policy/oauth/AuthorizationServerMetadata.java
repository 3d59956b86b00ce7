package dev.agentgateway.policy.oauth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 8414 authorization server metadata for an identity provider that only publishes OpenID Connect
 * discovery: the gateway fetches {@code <issuer>/.well-known/openid-configuration}, caches it, and
 * serves it at {@code /.well-known/oauth-authorization-server}, with {@code issuer} set to the gateway's
 * own URL (RFC 8414 section 3.3: the document's issuer is the URL it was discovered from). List the
 * gateway in the protected resource's {@code authorization_servers} so that clients look there.
 *
 * <pre>{@code
 * AuthorizationServerMetadata idp = AuthorizationServerMetadata.builder("https://sso.example.com/realms/agents")
 *         .codeChallengeMethods("S256")     // the IdP supports PKCE but does not say so
 *         .build();
 * ProtectedResource mcp = ProtectedResource.builder("/mcp").resource("https://gw.example/mcp")
 *         .issuer(JwtIssuer.builder("https://sso.example.com/realms/agents").discovery().audience("https://gw.example/mcp").build())
 *         .authorizationServer("https://gw.example")   // where clients fetch this document
 *         .build();
 * Gateway.builder().route(idp.route()).routes(mcp.metadataRoutes()) ...
 * }</pre>
 *
 * <p>The endpoints stay the identity provider's, and so does the {@code iss} of its tokens: a client
 * that checks an RFC 9207 {@code iss} authorization response parameter against this document's issuer
 * refuses it, so use this only for clients that need RFC 8414 metadata. The document is kept for
 * {@link Builder#cacheTtl} (5 minutes by default); when a refetch fails the last good document is
 * served, and with none yet the answer is 502. Other fields pass through as the provider states them,
 * {@code client_id_metadata_document_supported} among them: whether clients may use an HTTPS URL as
 * their {@code client_id} (MCP 2025-11-25) is the provider's to support.
 *
 * <p><b>Provider adapters.</b> {@link #keycloak(String, String)} and {@link #auth0(String)} start builders
 * set up for those providers; {@link Builder#clientRegistration(ClientRegistration)} chooses how clients
 * register (the provider's own endpoint, a pre-registered client, or a proxy to the provider), and
 * {@link #routes()} mounts the document and the gateway's registration endpoint, if any. The answers
 * allow any origin ({@code Access-Control-Allow-Origin: *}) and CORS preflights, for browser-based clients.
 */
public final class AuthorizationServerMetadata implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerMetadata.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

    private final URI discovery;
    private final Set<String> codeChallengeMethods;
    private final String audience;
    private final ClientRegistration registration;
    private final Duration cacheTtl;
    private final Duration fetchTimeout;
    private final HttpClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private ObjectNode cached;
    private long fetchedNanos;

    private AuthorizationServerMetadata(URI discovery, Set<String> codeChallengeMethods, String audience,
            ClientRegistration registration, Duration cacheTtl, Duration fetchTimeout, HttpClient client) {
        this.discovery = discovery;
        this.codeChallengeMethods = Set.copyOf(codeChallengeMethods);
        this.audience = audience;
        this.registration = registration;
        this.cacheTtl = cacheTtl;
        this.fetchTimeout = fetchTimeout;
        this.client = client;
    }

    /** Metadata for the identity provider whose OIDC issuer is {@code issuer}. */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /**
     * Metadata for a Keycloak realm: the issuer {@code <baseUrl>/realms/<realm>}, PKCE {@code S256}
     * announced, and registrations {@linkplain ClientRegistration#proxy() proxied} to the realm's
     * {@code clients-registrations/openid-connect} endpoint, which sends no CORS headers itself. The
     * realm's client registration policies (trusted hosts, allowed scopes) still decide; choose
     * {@link ClientRegistration#preRegistered(String)} when anonymous registration is off.
     *
     * <pre>{@code
     * AuthorizationServerMetadata idp = AuthorizationServerMetadata.keycloak("https://sso.example.com", "agents").build();
     * // issuer https://sso.example.com/realms/agents; POST /oauth/register forwards to Keycloak
     * Gateway.builder().routes(idp.routes()) ...
     * }</pre>
     *
     * @param baseUrl the Keycloak server's URL, such as {@code https://sso.example.com} (or {@code https://host/auth}
     *                for Keycloak before version 17)
     * @param realm   the realm's name
     */
    public static Builder keycloak(String baseUrl, String realm) {
        requireNonNull(baseUrl, "baseUrl");
        requireNonNull(realm, "realm");
        if (realm.isBlank() || realm.contains("/")) {
            throw new IllegalArgumentException("not a realm name: '" + realm + "'");
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new Builder(base + "/realms/" + URLEncoder.encode(realm, StandardCharsets.UTF_8).replace("+", "%20"))
                .codeChallengeMethods("S256")
                .clientRegistration(ClientRegistration.proxy().build());
    }

    /**
     * Metadata for an Auth0 tenant, whose issuer is {@code https://<domain>/}. Auth0 ignores the RFC 8707
     * {@code resource} parameter MCP clients send and issues a JWT access token for an API only when the
     * authorization request names its identifier as {@code audience}: the advertised
     * {@code authorization_endpoint} gets {@code audience=<identifier>} appended, and
     * {@link Builder#audience(String)} must be set (build fails without). Registration stays Auth0's own
     * ({@code /oidc/register}, when "Dynamic Application Registration" is on); with it off, use
     * {@link ClientRegistration#preRegistered(String)} with a "Native" application's client ID.
     *
     * <pre>{@code
     * AuthorizationServerMetadata idp = AuthorizationServerMetadata.auth0("example.eu.auth0.com")
     *         .audience("https://gw.example/mcp")      // the Auth0 API's identifier, also the tokens' aud
     *         .build();
     * }</pre>
     *
     * @param domain the tenant's domain ({@code example.eu.auth0.com}) or custom domain; a URL with a
     *               scheme ({@code https://login.example.com}) is taken as the issuer as it is
     */
    public static Builder auth0(String domain) {
        requireNonNull(domain, "domain");
        if (domain.isBlank()) {
            throw new IllegalArgumentException("domain must not be blank");
        }
        String issuer = domain.contains("://") ? domain : "https://" + domain;
        Builder builder = new Builder(issuer.endsWith("/") ? issuer : issuer + "/");
        builder.audienceRequired = true;
        return builder;
    }

    /** A route serving this document at {@code /.well-known/oauth-authorization-server}. */
    public Route route() {
        return Route.builder("oauth-authorization-server").path(WELL_KNOWN).method(MetadataDocuments.METHODS).backend(this).build();
    }

    /**
     * The routes to mount: {@link #route()}, and the gateway's registration endpoint when the
     * {@linkplain Builder#clientRegistration client registration} is pre-registered or proxied.
     */
    public List<Route> routes() {
        if (registration.path() == null) {
            return List.of(route());
        }
        String name = "oauth-client-registration" + registration.path().replace('/', '-');
        return List.of(route(), Route.builder(name).path(registration.path())
                .maxRequestBodySize(registration.maxBodySize())
                .backend(new RegistrationEndpoint(registration, this, null)).build());
    }

    /** How clients register; {@link ClientRegistration#identityProvider()} unless the builder chose otherwise. */
    public ClientRegistration clientRegistration() {
        return registration;
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new AuthorizationServerMetadata(discovery, codeChallengeMethods, audience, registration, cacheTtl, fetchTimeout,
                gateway.httpClient());
    }

    @Override
    public String name() {
        return "oauth-authorization-server";
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        if ("OPTIONS".equals(exchange.method())) {
            return MetadataDocuments.documentPreflight(exchange); // before current(): a preflight needs no fetch
        }
        ObjectNode document = current().deepCopy();
        String origin = exchange.scheme() + "://" + exchange.authority();
        document.put("issuer", origin);
        if (!codeChallengeMethods.isEmpty()) {
            Set<String> methods = new LinkedHashSet<>();
            document.path("code_challenge_methods_supported").forEach(method -> methods.add(method.asText()));
            methods.addAll(codeChallengeMethods);
            methods.forEach(document.putArray("code_challenge_methods_supported")::add);
        }
        if (audience != null && document.path("authorization_endpoint").isTextual()) {
            document.put("authorization_endpoint", withQueryParameter(document.path("authorization_endpoint").asText(),
                    "audience", audience));
        }
        if (registration.path() != null) {
            document.put("registration_endpoint", origin + registration.path());
        }
        return MetadataDocuments.answer(exchange, document); // no-store: the issuer is the requested host's
    }

    /** {@code url} with {@code name=value} added to its query, replacing a parameter of that name already there. */
    static String withQueryParameter(String url, String name, String value) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String rest = hash < 0 ? url : url.substring(0, hash);
        int question = rest.indexOf('?');
        String base = question < 0 ? rest : rest.substring(0, question);
        StringJoiner query = new StringJoiner("&");
        if (question >= 0) {
            for (String parameter : rest.substring(question + 1).split("&")) {
                String key = parameter.split("=", 2)[0];
                if (!parameter.isEmpty() && !URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    query.add(parameter);
                }
            }
        }
        query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        return base + "?" + query + fragment;
    }

    /** The provider's discovery document, as cached (fetching it when due); 502 when it was never fetched. */
    ObjectNode providerDocument() {
        return current();
    }

    private ObjectNode current() {
        if (client == null) {
            throw new IllegalStateException("AuthorizationServerMetadata is used before the gateway bound it");
        }
        lock.lock(); // one fetch at a time; waiting requests get its result
        try {
            if (cached != null && System.nanoTime() - fetchedNanos < cacheTtl.toNanos()) {
                return cached;
            }
            try {
                cached = fetch();
                fetchedNanos = System.nanoTime();
            } catch (Exception e) {
                if (cached == null) {
                    throw GatewayException.badGateway("Cannot fetch " + discovery, e);
                }
                LOG.warn("Cannot refetch {} ({}); serving the last good document", discovery, e.toString());
                fetchedNanos = System.nanoTime(); // retry after another cache period, not on every request
            }
            return cached;
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode fetch() throws Exception {
        ContentResponse response = client.newRequest(discovery).timeout(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, "application/json")).send();
        if (response.getStatus() != 200) {
            throw new IllegalStateException("status " + response.getStatus());
        }
        JsonNode document = JSON.readTree(response.getContent());
        if (!(document instanceof ObjectNode object) || !object.hasNonNull("token_endpoint")) {
            throw new IllegalStateException("not a discovery document with a token_endpoint");
        }
        return object;
    }

    /** Configures an {@link AuthorizationServerMetadata}. */
    public static final class Builder {
        private final URI discovery;
        private final Set<String> codeChallengeMethods = new LinkedHashSet<>();
        private String audience;
        private boolean audienceRequired;
        private ClientRegistration registration = ClientRegistration.identityProvider();
        private Duration cacheTtl = Duration.ofMinutes(5);
        private Duration fetchTimeout = Duration.ofSeconds(5);

        private Builder(String issuer) {
            requireNonNull(issuer, "issuer");
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            this.discovery = URI.create(base + "/.well-known/openid-configuration");
            if (!discovery.isAbsolute()) {
                throw new IllegalArgumentException("issuer must be an absolute URL: " + issuer);
            }
        }

        /** PKCE methods to announce besides the provider's own (MCP clients refuse a server that names none). */
        public Builder codeChallengeMethods(String... methods) {
            for (String method : methods) {
                codeChallengeMethods.add(requireNonNull(method, "method"));
            }
            return this;
        }

        /**
         * Appends {@code audience=<audience>} to the advertised {@code authorization_endpoint} (replacing an
         * {@code audience} parameter there), for providers that choose the token's audience by that
         * parameter instead of RFC 8707 {@code resource}; required for {@link #auth0(String) Auth0}.
         */
        public Builder audience(String audience) {
            requireNonNull(audience, "audience");
            if (audience.isBlank()) {
                throw new IllegalArgumentException("audience must not be blank");
            }
            this.audience = audience;
            return this;
        }

        /**
         * How clients register: {@link ClientRegistration#identityProvider()} (the default, but
         * {@link #keycloak(String, String)} proxies), {@link ClientRegistration#preRegistered(String)} or
         * {@link ClientRegistration#proxy()}.
         */
        public Builder clientRegistration(ClientRegistration registration) {
            this.registration = requireNonNull(registration, "registration");
            return this;
        }

        /** How long a fetched document is served before it is fetched again; 5 minutes by default. */
        public Builder cacheTtl(Duration ttl) {
            if (requireNonNull(ttl, "ttl").isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative: " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** Timeout of one fetch; 5 s by default. */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = Checks.positive(timeout, "fetchTimeout");
            return this;
        }

        /** The backend; {@link AuthorizationServerMetadata#routes()} mounts it. */
        public AuthorizationServerMetadata build() {
            if (audienceRequired && audience == null) {
                throw new IllegalStateException("Auth0 needs audience(...): the identifier of the API the tokens are for");
            }
            return new AuthorizationServerMetadata(discovery, codeChallengeMethods, audience, registration, cacheTtl, fetchTimeout,
                    null);
        }
    }
}
