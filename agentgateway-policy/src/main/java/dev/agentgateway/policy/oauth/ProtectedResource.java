package dev.agentgateway.policy.oauth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.JwtAuth;
import dev.agentgateway.policy.auth.JwtIssuer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An MCP server behind the gateway as an OAuth 2.1 protected resource, as the MCP authorization
 * specification asks: RFC 9728 metadata naming its authorization servers, {@code 401} challenges that
 * point to that metadata, tokens accepted only when issued for this resource (RFC 8707 audience), and
 * {@code 403 insufficient_scope} challenges for MCP actions and tools that need more scopes.
 *
 * <pre>{@code
 * ProtectedResource mcp = ProtectedResource.builder("/mcp")
 *         .resource("https://gw.example/mcp")
 *         .issuer(JwtIssuer.builder("https://idp.example").discovery().audience("https://gw.example/mcp").build())
 *         .scopesSupported("tools:read", "tools:call")
 *         .actionScopes("list_tools", "tools:read")
 *         .actionScopes("call_tool", "tools:call")
 *         .toolScopes("github_delete_repo", "repo:admin")
 *         .build();
 * Gateway.builder()
 *         .route(Route.builder("mcp").path("/mcp")
 *                 .policy(mcp.authentication()).policy(mcp.scopeCheck()).backend(mcpBackend))
 *         .routes(mcp.metadataRoutes())      // or route(...) each
 *         .start();
 * }</pre>
 *
 * <p><b>The resource URI.</b> When {@link Builder#resource(String)} is not set, the resource is
 * derived from each request as {@code <scheme>://<authority><path>}, from the request's scheme and
 * {@code Host}: convenient on {@code localhost} and in tests, but it believes the client's
 * {@code Host}. Set it in production. Whatever the issuers' own audience settings, a token is refused
 * unless its {@code aud} holds the resource URI.
 *
 * <p><b>Scopes.</b> A caller's scopes are the space-separated {@code scope} claim and the {@code scp}
 * claim (an array or a space-separated string). An {@link Operation} needs the scopes of its action
 * ({@code list_tools}, {@code call_tool}, ... as the MCP module records them) and, for
 * {@code call_tool}, those of the tool named; requests whose operation needs none (such as
 * {@code initialize}) only need a valid token. A {@code 401} challenge names the scopes the request
 * needs, or the {@link Builder#challengeScopes challenge scopes} when it needs none; without any the
 * {@code scope} parameter is left out and clients ask for {@code scopes_supported}.
 */
public final class ProtectedResource {
    static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    private final String path;
    private final URI resource;
    private final List<String> issuerServers;
    private final List<String> authorizationServers;
    private final boolean gatewayAuthorizationServer;
    private final List<String> scopesSupported;
    private final String resourceName;
    private final JwtAuth jwt;
    private final Map<String, Set<String>> actionScopes;
    private final Map<String, Set<String>> toolScopes;
    private final Set<String> challengeScopes;
    private final boolean repeatGrantedScopes;

    private ProtectedResource(Builder b) {
        this.path = b.path;
        this.resource = b.resource;
        this.issuerServers = List.copyOf(b.issuerServers);
        this.authorizationServers = List.copyOf(b.authorizationServers);
        this.gatewayAuthorizationServer = b.gatewayAuthorizationServer;
        this.scopesSupported = List.copyOf(b.scopesSupported);
        this.resourceName = b.resourceName;
        this.jwt = b.jwt;
        this.actionScopes = copy(b.actionScopes);
        this.toolScopes = copy(b.toolScopes);
        this.challengeScopes = Set.copyOf(b.challengeScopes);
        this.repeatGrantedScopes = b.repeatGrantedScopes;
    }

    /** A protected resource served at {@code path}, the MCP route's path (for example {@code "/mcp"}). */
    public static Builder builder(String path) {
        return new Builder(path);
    }

    /** The {@code AUTHENTICATION} policy for the MCP route: bearer JWTs for this resource, 401 with RFC 9728 challenges. */
    public Authentication authentication() {
        return Authentication.required(new ResourceTokenAuth(this, jwt));
    }

    /** The {@code AUTHORIZATION} policy for the MCP route: 403 {@code insufficient_scope} when the operation needs more scopes. */
    public Policy scopeCheck() {
        return new ScopeCheck(this);
    }

    /**
     * Routes serving the RFC 9728 metadata document at {@code /.well-known/oauth-protected-resource<path>}
     * and at the root {@code /.well-known/oauth-protected-resource}, the two places MCP clients look.
     * Only one protected resource of a gateway may take the root; use {@link #metadataRoute()} for the others.
     * The metadata must be readable without a token: do not put a gateway-wide authentication policy in front of it.
     * The answers allow any origin ({@code Access-Control-Allow-Origin: *}) and CORS preflights, for browser-based clients.
     */
    public List<Route> metadataRoutes() {
        Route root = Route.builder("oauth-protected-resource").path(WELL_KNOWN).method(MetadataDocuments.METHODS)
                .backend(new ResourceMetadata(this)).build();
        return path.equals("/") ? List.of(root) : List.of(metadataRoute(), root);
    }

    /**
     * The route serving the metadata at {@code /.well-known/oauth-protected-resource<path>} only (RFC 9728
     * section 3.1: the resource's path appended to the well-known path); for a resource at {@code /} that is the root.
     */
    public Route metadataRoute() {
        if (path.equals("/")) {
            return metadataRoutes().getFirst();
        }
        return Route.builder("oauth-protected-resource" + path.replace('/', '-')).path(WELL_KNOWN + path)
                .method(MetadataDocuments.METHODS).backend(new ResourceMetadata(this)).build();
    }

    /** The MCP route's path. */
    public String path() {
        return path;
    }

    /** The canonical resource URI answered to this request: the configured one, or one derived from the request. */
    public URI resource(Exchange exchange) {
        return resource != null ? resource : URI.create(exchange.scheme() + "://" + exchange.authority() + path);
    }

    /** The URL of the metadata document of {@link #resource(Exchange)}, as a {@code resource_metadata} challenge parameter names it. */
    public URI metadataUrl(Exchange exchange) {
        URI resource = resource(exchange);
        String resourcePath = resource.getRawPath() == null ? "" : resource.getRawPath();
        return URI.create(resource.getScheme() + "://" + resource.getRawAuthority() + WELL_KNOWN
                + (resourcePath.equals("/") ? "" : resourcePath));
    }

    /**
     * The {@code authorization_servers} of the metadata answered to this request: the gateway's origin when
     * it {@linkplain Builder#authorizationServerAtGateway() serves the metadata itself}, else the issuers;
     * then those added with {@link Builder#authorizationServer}.
     */
    public List<String> authorizationServers(Exchange exchange) {
        Set<String> servers = new LinkedHashSet<>();
        if (gatewayAuthorizationServer) {
            URI resource = resource(exchange);
            servers.add(resource.getScheme() + "://" + resource.getRawAuthority());
        } else {
            servers.addAll(issuerServers);
        }
        servers.addAll(authorizationServers);
        return List.copyOf(servers);
    }

    /** The {@code scopes_supported} of the metadata (may be empty). */
    public List<String> scopesSupported() {
        return scopesSupported;
    }

    /** The {@code resource_name} of the metadata, or {@code null}. */
    public String resourceName() {
        return resourceName;
    }

    /** The scopes {@code operation} needs; empty when a valid token suffices. */
    public Set<String> requiredScopes(Operation operation) {
        if (operation == null) {
            return Set.of();
        }
        Set<String> needed = new LinkedHashSet<>(actionScopes.getOrDefault(operation.action(), Set.of()));
        if (operation.action().equals("call_tool")) {
            needed.addAll(toolScopes.getOrDefault(operation.resourceId(), Set.of()));
        }
        return needed;
    }

    Set<String> challengeScopes() {
        return challengeScopes;
    }

    boolean repeatGrantedScopes() {
        return repeatGrantedScopes;
    }

    private static Map<String, Set<String>> copy(Map<String, Set<String>> scopes) {
        Map<String, Set<String>> copied = new LinkedHashMap<>();
        scopes.forEach((key, value) -> copied.put(key, Set.copyOf(value)));
        return Map.copyOf(copied);
    }

    /** Configures a {@link ProtectedResource}. */
    public static final class Builder {
        private final String path;
        private URI resource;
        private final Set<String> issuerServers = new LinkedHashSet<>();
        private final Set<String> authorizationServers = new LinkedHashSet<>();
        private boolean gatewayAuthorizationServer;
        private final Set<String> scopesSupported = new LinkedHashSet<>();
        private String resourceName;
        private final List<JwtIssuer> issuers = new ArrayList<>();
        private JwtAuth jwt;
        private final Map<String, Set<String>> actionScopes = new LinkedHashMap<>();
        private final Map<String, Set<String>> toolScopes = new LinkedHashMap<>();
        private final Set<String> challengeScopes = new LinkedHashSet<>();
        private boolean repeatGrantedScopes = true;

        private Builder(String path) {
            requireNonNull(path, "path");
            if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
                throw new IllegalArgumentException("path must start with '/' and not end with one: " + path);
            }
            this.path = path;
        }

        /** The canonical resource URI (RFC 8707), for example {@code https://gw.example/mcp}; its path must be {@link #path()}. */
        public Builder resource(String uri) {
            URI parsed = URI.create(requireNonNull(uri, "resource"));
            if (!parsed.isAbsolute() || parsed.getRawFragment() != null || parsed.getRawQuery() != null) {
                throw new IllegalArgumentException("resource must be an absolute URI without query or fragment: " + uri);
            }
            if (!path.equals(parsed.getRawPath())) {
                throw new IllegalArgumentException("resource " + uri + " must have the path " + path);
            }
            this.resource = parsed;
            return this;
        }

        /** An issuer whose tokens are accepted; its issuer URL is listed in {@code authorization_servers} too. */
        public Builder issuer(JwtIssuer issuer) {
            issuers.add(requireNonNull(issuer, "issuer"));
            issuerServers.add(issuer.issuer());
            return this;
        }

        /**
         * The JWT authenticator to use instead of one built from {@link #issuer}s, for its other settings
         * (token length, realm); its issuers are listed in {@code authorization_servers}.
         */
        public Builder jwt(JwtAuth jwt) {
            this.jwt = requireNonNull(jwt, "jwt");
            jwt.issuers().forEach(issuer -> issuerServers.add(issuer.issuer()));
            return this;
        }

        /** Further {@code authorization_servers} entries, for example an authorization server that fronts the issuer. */
        public Builder authorizationServer(String... issuerUrls) {
            for (String url : issuerUrls) {
                authorizationServers.add(requireNonNull(url, "authorization server"));
            }
            return this;
        }

        /**
         * Names the gateway's own origin (that of the resource) as the authorization server instead of
         * the issuers, for a gateway that serves {@link AuthorizationServerMetadata} for its identity provider.
         */
        public Builder authorizationServerAtGateway() {
            this.gatewayAuthorizationServer = true;
            return this;
        }

        /** Adds to {@code scopes_supported}; scopes named by {@link #actionScopes} and {@link #toolScopes} are added as well. */
        public Builder scopesSupported(String... scopes) {
            for (String scope : scopes) {
                scopesSupported.add(checkedScope(scope));
            }
            return this;
        }

        /** The human-readable {@code resource_name} of the metadata. */
        public Builder resourceName(String name) {
            this.resourceName = requireNonNull(name, "name");
            return this;
        }

        /** The scopes every operation with this {@link Operation#action()} needs, for example {@code ("call_tool", "tools:call")}. */
        public Builder actionScopes(String action, String... scopes) {
            add(actionScopes, requireNonNull(action, "action"), scopes);
            return this;
        }

        /** The scopes a {@code call_tool} of the tool called {@code tool} (as the client names it) needs besides the action's. */
        public Builder toolScopes(String tool, String... scopes) {
            add(toolScopes, requireNonNull(tool, "tool"), scopes);
            return this;
        }

        /** The scopes a {@code 401} challenge names when the request itself needs none (for example on {@code initialize}). */
        public Builder challengeScopes(String... scopes) {
            for (String scope : scopes) {
                challengeScopes.add(checkedScope(scope));
            }
            return this;
        }

        /**
         * Whether a {@code 403 insufficient_scope} challenge also names the supported scopes the token
         * already has; {@code true} by default, as MCP 2025-11-25 recommends, so that a client which
         * replaces its token with one for the challenged scopes does not lose the others. Clients of
         * the 2026-07-28 revision accumulate scopes themselves; {@code false} names only the missing ones.
         */
        public Builder repeatGrantedScopes(boolean repeat) {
            this.repeatGrantedScopes = repeat;
            return this;
        }

        /** The MCP route's path. */
        public String path() {
            return path;
        }

        /** The protected resource; fails without issuers or when both {@link #issuer} and {@link #jwt} were used. */
        public ProtectedResource build() {
            if (jwt != null && !issuers.isEmpty()) {
                throw new IllegalStateException("protected resource " + path + ": use issuer(...) or jwt(...), not both");
            }
            if (jwt == null) {
                if (issuers.isEmpty()) {
                    throw new IllegalStateException("protected resource " + path + " needs at least one issuer(...)");
                }
                JwtAuth.Builder built = JwtAuth.builder().realm(null);
                issuers.forEach(built::issuer);
                jwt = built.build();
            }
            actionScopes.values().forEach(scopesSupported::addAll);
            toolScopes.values().forEach(scopesSupported::addAll);
            return new ProtectedResource(this);
        }

        private static void add(Map<String, Set<String>> map, String key, String... scopes) {
            Set<String> set = map.computeIfAbsent(key, k -> new LinkedHashSet<>());
            for (String scope : scopes) {
                set.add(checkedScope(scope));
            }
        }

        /** RFC 6749 section 3.3: a scope token is printable ASCII without space, quote or backslash. */
        private static String checkedScope(String scope) {
            requireNonNull(scope, "scope");
            if (scope.isEmpty() || !scope.chars().allMatch(c -> c == 0x21 || c >= 0x23 && c <= 0x5b || c >= 0x5d && c <= 0x7e)) {
                throw new IllegalArgumentException("not a scope token: '" + scope + "'");
            }
            return scope;
        }
    }
}
