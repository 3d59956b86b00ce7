package dev.agentgateway.policy.upstream.internal;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import net.minidev.json.JSONObject;

/**
 * A token endpoint and how the gateway authenticates to it: sends one token request and turns the
 * answer into an {@link IssuedToken} or an {@link IOException} that says what went wrong (the
 * endpoint's OAuth {@code error} and {@code error_description} when it gave one). The endpoint is
 * configured, or discovered from the issuer's metadata on first use and then kept, so that the
 * gateway starts while the identity provider is down. Messages name URLs and OAuth errors, never
 * the client secret or a token.
 */
public final class TokenEndpoint {
    private final String issuer;
    private final List<URI> discoveryUris;
    private final ClientAuthentication clientAuthentication;
    private final int timeoutMillis;
    private final Scope scope;
    private final List<URI> resources;
    private final Duration defaultLifetime;
    private final Duration refreshMargin;
    private final Clock clock;
    private final ReentrantLock discoveryLock = new ReentrantLock();
    private volatile URI uri;

    /**
     * A token endpoint client.
     *
     * @param uri the token endpoint, or {@code null} to discover it from {@code issuer}
     * @param issuer the issuer whose metadata names the token endpoint, or {@code null}
     * @param clientAuthentication how the gateway authenticates
     * @param timeout connect and read timeout of each request
     * @param scope the scope to request, or {@code null}
     * @param resources the RFC 8707 resources to request
     * @param defaultLifetime the lifetime of a token whose response has no {@code expires_in}
     * @param refreshMargin the least time before expiry at which a token is refreshed
     * @param clock the clock tokens are timed with
     */
    public TokenEndpoint(URI uri, String issuer, ClientAuthentication clientAuthentication, Duration timeout, Scope scope,
            List<URI> resources, Duration defaultLifetime, Duration refreshMargin, Clock clock) {
        this.uri = uri;
        this.issuer = issuer;
        this.discoveryUris = issuer == null ? List.of() : discoveryUris(issuer);
        this.clientAuthentication = clientAuthentication;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.scope = scope;
        this.resources = List.copyOf(resources);
        this.defaultLifetime = defaultLifetime;
        this.refreshMargin = refreshMargin;
        this.clock = clock;
    }

    /** The clock tokens are timed with. */
    public Clock clock() {
        return clock;
    }

    /**
     * Where the metadata of {@code issuer} may be: OpenID Connect discovery (appended to the issuer),
     * then RFC 8414 (inserted before the issuer's path), then the appended RFC 8414 form some servers use.
     */
    static List<URI> discoveryUris(String issuer) {
        URI base = URI.create(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer);
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        String origin = base.getScheme() + "://" + base.getRawAuthority();
        Set<URI> uris = new LinkedHashSet<>();
        uris.add(URI.create(base + "/.well-known/openid-configuration"));
        uris.add(URI.create(origin + "/.well-known/oauth-authorization-server" + path));
        uris.add(URI.create(base + "/.well-known/oauth-authorization-server"));
        return List.copyOf(uris);
    }

    /**
     * Sends one token request, with the configured scope and resources.
     *
     * @param purpose names the request in messages, such as "client credentials"
     * @param parameters further form parameters
     * @param typeless whether a token of type {@code N_A} (RFC 8693: not an access token) is accepted
     */
    public IssuedToken request(String purpose, AuthorizationGrant grant, Map<String, List<String>> parameters,
            boolean typeless) throws IOException {
        URI endpoint = resolve();
        Instant now = clock.instant();
        TokenRequest.Builder builder = new TokenRequest.Builder(endpoint, clientAuthentication, grant);
        if (scope != null && !scope.isEmpty()) {
            builder.scope(scope);
        }
        if (!resources.isEmpty()) {
            builder.resources(resources.toArray(URI[]::new));
        }
        parameters.forEach((name, values) -> builder.customParameter(name, values.toArray(String[]::new)));
        HTTPResponse response = send(builder.build().toHTTPRequest(), endpoint);
        TokenResponse parsed;
        try {
            parsed = TokenResponse.parse(response);
        } catch (ParseException e) {
            throw new IOException("The token endpoint " + endpoint + " answered the " + purpose + " request with HTTP "
                    + response.getStatusCode() + " and no valid token response: " + e.getMessage());
        }
        if (!parsed.indicatesSuccess()) {
            throw new IOException("The token endpoint " + endpoint + " refused the " + purpose + " request: "
                    + describe(parsed.toErrorResponse().getErrorObject(), response.getStatusCode()));
        }
        AccessToken token = parsed.toSuccessResponse().getTokens().getAccessToken();
        AccessTokenType type = token.getType();
        if (!AccessTokenType.BEARER.equals(type) && !(typeless && AccessTokenType.N_A.equals(type))) {
            throw new IOException("The token endpoint " + endpoint + " issued a token of type " + type
                    + " for the " + purpose + " request; only Bearer tokens can be sent upstream");
        }
        Duration lifetime = token.getLifetime() > 0 ? Duration.ofSeconds(token.getLifetime()) : defaultLifetime;
        return IssuedToken.of(token.getValue(), now, lifetime, refreshMargin);
    }

    private static String describe(ErrorObject error, int status) {
        if (error == null || error.getCode() == null) {
            return "HTTP " + status;
        }
        String description = error.getDescription();
        return error.getCode() + (description == null || description.isBlank() ? "" : " (" + description + ")")
                + ", HTTP " + status;
    }

    private URI resolve() throws IOException {
        URI known = uri;
        if (known != null) {
            return known;
        }
        discoveryLock.lock(); // one discovery at a time; the others use what it found
        try {
            if (uri == null) {
                uri = discover();
            }
            return uri;
        } finally {
            discoveryLock.unlock();
        }
    }

    private URI discover() throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI document : discoveryUris) {
            try {
                HTTPRequest get = new HTTPRequest(HTTPRequest.Method.GET, document);
                get.setAccept("application/json");
                HTTPResponse response = send(get, document);
                if (response.getStatusCode() != 200) {
                    failures.add(document + ": HTTP " + response.getStatusCode());
                    continue;
                }
                JSONObject metadata = response.getBodyAsJSONObject();
                String named = JSONObjectUtils.getString(metadata, "issuer", null);
                // RFC 8414 section 3.3: a document for another issuer must not be used
                if (named == null || !strip(named).equals(strip(issuer))) {
                    failures.add(document + ": issuer is " + named);
                    continue;
                }
                String endpoint = JSONObjectUtils.getString(metadata, "token_endpoint", null);
                if (endpoint == null) {
                    failures.add(document + ": no token_endpoint");
                    continue;
                }
                return URI.create(endpoint);
            } catch (IOException | ParseException | IllegalArgumentException e) {
                failures.add(document + ": " + e.getMessage());
            }
        }
        throw new IOException("Cannot discover the token endpoint of " + issuer + ": " + String.join("; ", failures));
    }

    private static String strip(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    private HTTPResponse send(HTTPRequest request, URI target) throws IOException {
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        request.setFollowRedirects(false); // a redirect would resend the client's credentials elsewhere
        try {
            return request.send();
        } catch (IOException e) {
            throw new IOException(target + " did not answer: " + e, e);
        }
    }

    @Override
    public String toString() { // never the client secret
        return "TokenEndpoint[" + (uri != null ? uri : "discovered from " + issuer) + "]";
    }
}
