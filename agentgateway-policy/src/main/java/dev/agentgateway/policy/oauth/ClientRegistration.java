package dev.agentgateway.policy.oauth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How MCP clients register (RFC 7591 dynamic client registration) when the gateway serves the
 * {@link AuthorizationServerMetadata} of an identity provider: one of three modes, set with
 * {@link AuthorizationServerMetadata.Builder#clientRegistration(ClientRegistration)}.
 *
 * <ul>
 *   <li>{@link #identityProvider()}: the provider's own {@code registration_endpoint} is advertised
 *       unchanged (or none, when it has none). The default, except for
 *       {@link AuthorizationServerMetadata#keycloak Keycloak}.</li>
 *   <li>{@link #preRegistered(String)}: for providers with registration turned off. The gateway
 *       advertises its own {@code registration_endpoint} and answers every valid registration with one
 *       client registered at the provider beforehand, as a public client ({@code token_endpoint_auth_method}
 *       {@code none}, PKCE). That client must be allowed the redirect URIs clients register.</li>
 *   <li>{@link #proxy()}: the gateway advertises its own {@code registration_endpoint} and forwards
 *       registrations to the provider's, adding the CORS headers browsers need (Keycloak sends none).</li>
 * </ul>
 *
 * <pre>{@code
 * AuthorizationServerMetadata idp = AuthorizationServerMetadata.auth0("example.eu.auth0.com")
 *         .audience("https://gw.example/mcp")
 *         .clientRegistration(ClientRegistration.preRegistered("hX3kq9...")   // an Auth0 "Native" application
 *                 .allowRedirectUri("https://vscode.dev/redirect")          // besides loopback, the default
 *                 .build())
 *         .build();
 * Gateway.builder().routes(idp.routes()) ...      // the metadata and POST /oauth/register
 * }</pre>
 *
 * <p><b>Redirect URIs.</b> The gateway's endpoint checks the {@code redirect_uris} of each request
 * (absolute, no fragment, no user info) against an allow-list, so that nobody can obtain a registration
 * for a phishing redirect: by default a pre-registered client allows loopback URIs only
 * ({@code http} or {@code https} to {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, any port and
 * path, as native and command-line MCP clients use), and a proxy allows all and leaves the decision to
 * the provider's registration policy. {@link Builder#allowRedirectUri(String)} adds patterns.
 *
 * <p>The endpoint takes POST (OPTIONS for preflights, else 405), bodies up to
 * {@link Builder#maxBodySize 16 KiB} (413 beyond); invalid requests get {@code 400} with the RFC 7591
 * error {@code invalid_redirect_uri} or {@code invalid_client_metadata}.
 */
public final class ClientRegistration {
    /** How registrations are handled. */
    enum Mode { IDENTITY_PROVIDER, PRE_REGISTERED, PROXY }

    private static final Pattern LOOPBACK = Pattern.compile("localhost|127\\.0\\.0\\.1|\\[::1]");

    private final Mode mode;
    private final String clientId;
    private final String path;
    private final boolean anyRedirectUri;
    private final boolean loopbackRedirectUris;
    private final List<Pattern> redirectUriPatterns;
    private final int maxBodySize;
    private final Duration timeout;

    private ClientRegistration(Mode mode, Builder b) {
        this.mode = mode;
        this.clientId = b.clientId;
        this.path = b.path;
        this.anyRedirectUri = b.anyRedirectUri;
        this.loopbackRedirectUris = b.loopbackRedirectUris;
        this.redirectUriPatterns = List.copyOf(b.redirectUriPatterns);
        this.maxBodySize = b.maxBodySize;
        this.timeout = b.timeout;
    }

    /** Advertises the identity provider's own {@code registration_endpoint}, if it has one; the gateway serves none. */
    public static ClientRegistration identityProvider() {
        return new ClientRegistration(Mode.IDENTITY_PROVIDER, new Builder(null, false));
    }

    /**
     * The gateway answers registrations with {@code clientId}, a public client registered at the identity
     * provider (redirect URIs: loopback only until {@link Builder#allowRedirectUri} adds more).
     */
    public static Builder preRegistered(String clientId) {
        requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        return new Builder(clientId, true);
    }

    /** The gateway forwards registrations to the {@code registration_endpoint} of the provider's discovery document. */
    public static Builder proxy() {
        return new Builder(null, false);
    }

    /** The path of the gateway's registration endpoint, or {@code null} in {@link #identityProvider()} mode. */
    public String path() {
        return mode == Mode.IDENTITY_PROVIDER ? null : path;
    }

    Mode mode() {
        return mode;
    }

    String clientId() {
        return clientId;
    }

    int maxBodySize() {
        return maxBodySize;
    }

    Duration timeout() {
        return timeout;
    }

    /** Whether the gateway accepts this redirect URI (already checked to be absolute, without fragment or user info). */
    boolean redirectUriAllowed(URI uri) {
        if (anyRedirectUri) {
            return true;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (loopbackRedirectUris && (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                && LOOPBACK.matcher(uri.getHost().toLowerCase(Locale.ROOT)).matches()) {
            return true;
        }
        String text = uri.toString();
        return redirectUriPatterns.stream().anyMatch(pattern -> pattern.matcher(text).matches());
    }

    /** Configures a pre-registered or proxied {@link ClientRegistration}. */
    public static final class Builder {
        private final String clientId;
        private String path = "/oauth/register";
        private boolean anyRedirectUri;
        private boolean loopbackRedirectUris;
        private final List<Pattern> redirectUriPatterns = new ArrayList<>();
        private int maxBodySize = 16 * 1024;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder(String clientId, boolean loopbackByDefault) {
            this.clientId = clientId;
            this.loopbackRedirectUris = loopbackByDefault;
            this.anyRedirectUri = clientId == null;
        }

        /** The path of the gateway's registration endpoint; {@code /oauth/register} by default. */
        public Builder path(String path) {
            requireNonNull(path, "path");
            if (!path.startsWith("/") || path.startsWith("/.well-known/")) {
                throw new IllegalArgumentException("path must start with '/' and be outside /.well-known/: " + path);
            }
            this.path = path;
            return this;
        }

        /**
         * Allows redirect URIs matching {@code pattern}, compared with the whole URI: {@code *} stands for
         * any run of characters except {@code / ? # @}, so within a host, port or one path segment, as in
         * {@code https://*.example.com/callback} or {@code cursor://anysphere.cursor-retrieval/oauth/*}{@code /callback}.
         * The first pattern replaces a proxy's default of allowing all; loopback URIs stay allowed for a
         * pre-registered client unless {@link #loopbackRedirectUris(boolean)} turns them off.
         */
        public Builder allowRedirectUri(String pattern) {
            requireNonNull(pattern, "pattern");
            if (pattern.isEmpty() || pattern.indexOf(':') < 1) {
                throw new IllegalArgumentException("a redirect URI pattern must start with a scheme: " + pattern);
            }
            StringBuilder regex = new StringBuilder();
            for (String literal : pattern.split("\\*", -1)) {
                if (!regex.isEmpty()) {
                    regex.append("[^/?#@]*");
                }
                regex.append(Pattern.quote(literal));
            }
            redirectUriPatterns.add(Pattern.compile(regex.toString()));
            anyRedirectUri = false;
            return this;
        }

        /**
         * Whether loopback redirect URIs ({@code localhost}, {@code 127.0.0.1}, {@code [::1]}, any port) are
         * allowed; {@code true} by default for a pre-registered client. For a proxy, {@code true} replaces the
         * default of allowing all.
         */
        public Builder loopbackRedirectUris(boolean allowed) {
            this.loopbackRedirectUris = allowed;
            if (allowed) {
                anyRedirectUri = false;
            }
            return this;
        }

        /** Accepts every absolute redirect URI, leaving the check to the identity provider. */
        public Builder allowAnyRedirectUri() {
            this.anyRedirectUri = true;
            return this;
        }

        /** The largest registration request body, in bytes; 16 KiB by default. */
        public Builder maxBodySize(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodySize must be positive: " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /** How long a proxy waits for the identity provider's answer (then 504); 10 s by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /** The registration handling, for {@link AuthorizationServerMetadata.Builder#clientRegistration}. */
        public ClientRegistration build() {
            if (!anyRedirectUri && !loopbackRedirectUris && redirectUriPatterns.isEmpty()) {
                throw new IllegalStateException("client registration allows no redirect URI");
            }
            return new ClientRegistration(clientId != null ? Mode.PRE_REGISTERED : Mode.PROXY, this);
        }
    }
}
