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
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
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
 * served, and with none yet the answer is 502.
 */
public final class AuthorizationServerMetadata implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationServerMetadata.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

    private final URI discovery;
    private final Set<String> codeChallengeMethods;
    private final Duration cacheTtl;
    private final Duration fetchTimeout;
    private final HttpClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private ObjectNode cached;
    private long fetchedNanos;

    private AuthorizationServerMetadata(URI discovery, Set<String> codeChallengeMethods, Duration cacheTtl, Duration fetchTimeout,
            HttpClient client) {
        this.discovery = discovery;
        this.codeChallengeMethods = Set.copyOf(codeChallengeMethods);
        this.cacheTtl = cacheTtl;
        this.fetchTimeout = fetchTimeout;
        this.client = client;
    }

    /** Metadata for the identity provider whose OIDC issuer is {@code issuer}. */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** A route serving this document at {@code /.well-known/oauth-authorization-server}. */
    public Route route() {
        return Route.builder("oauth-authorization-server").path(WELL_KNOWN).method("GET", "HEAD").backend(this).build();
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new AuthorizationServerMetadata(discovery, codeChallengeMethods, cacheTtl, fetchTimeout, gateway.httpClient());
    }

    @Override
    public String name() {
        return "oauth-authorization-server";
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        ObjectNode document = current().deepCopy();
        document.put("issuer", exchange.scheme() + "://" + exchange.authority());
        if (!codeChallengeMethods.isEmpty()) {
            Set<String> methods = new LinkedHashSet<>();
            document.path("code_challenge_methods_supported").forEach(method -> methods.add(method.asText()));
            methods.addAll(codeChallengeMethods);
            methods.forEach(document.putArray("code_challenge_methods_supported")::add);
        }
        return MetadataDocuments.answer(exchange, document); // no-store: the issuer is the requested host's
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

        /** The backend; {@link AuthorizationServerMetadata#route()} mounts it. */
        public AuthorizationServerMetadata build() {
            return new AuthorizationServerMetadata(discovery, codeChallengeMethods, cacheTtl, fetchTimeout, null);
        }
    }
}
