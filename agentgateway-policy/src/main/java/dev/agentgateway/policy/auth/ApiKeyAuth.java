package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Principal;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Authenticates callers by API key, looked up by its SHA-256 in an {@link ApiKeyStore}.
 *
 * <pre>{@code
 * InMemoryApiKeyStore keys = InMemoryApiKeyStore.of(ApiKey.builder("alice").key(issued).roles("user").build());
 * Policy auth = Authentication.required(ApiKeyAuth.builder().store(keys).build());
 *
 * // also accept the header Google clients send, and name the realm:
 * ApiKeyAuth.builder().store(keys).header("x-goog-api-key").realm("models").build();
 * // only a header of your own:
 * ApiKeyAuth.builder().store(keys).locations(CredentialLocation.header("x-gateway-key")).build();
 * }</pre>
 *
 * <p>Where the key is looked for: {@code Authorization: Bearer} and {@code x-api-key} (what Anthropic
 * clients send) by default; {@link Builder#header} adds a header to those, {@link Builder#locations}
 * replaces them. A key found in more than one place, or twice, is refused as ambiguous: forwarding
 * the copy that was not removed would leak it upstream.
 *
 * <p><b>With {@code JwtAuth} on the same route</b>, a Bearer value shaped like a JWS (three
 * dot-separated base64url parts) is left to it: this authenticator answers
 * {@link AuthResult#absent()} for it, and {@code JwtAuth} answers absent for a Bearer value that is
 * not JWS-shaped, so the two can be listed in either order. API keys must therefore not contain dots
 * when sent as Bearer tokens ({@link ApiKeys#generate()} keys never do).
 *
 * <p>The principal has scheme {@code api-key}, the key's subject and roles, and as claims the key's
 * metadata and {@code key_name} (which wins over a metadata entry of that name). The accepted
 * credential has type {@code api-key}. Refusals: {@code invalid_token} "Unknown API key" or "API key
 * expired"; {@code invalid_request} for an ambiguous or empty key.
 *
 * <p>The challenge is RFC 6750's {@code Bearer realm="agentgateway"} (with {@code error} and
 * {@code error_description} after a refusal) when {@code Authorization: Bearer} is among the
 * locations. Without it no registered scheme fits, and the challenge is {@code ApiKey
 * realm="agentgateway", header="x-api-key"} naming the first header looked at: RFC 9110 wants a
 * challenge on every 401, and naming the header tells a client what to send.
 */
public final class ApiKeyAuth implements Authenticator {
    /** The principal's scheme and the credential's type. */
    public static final String SCHEME = "api-key";
    /** The claim that carries the key's name. */
    public static final String KEY_NAME_CLAIM = "key_name";

    private static final CredentialLocation BEARER = CredentialLocation.authorization("Bearer");

    private final ApiKeyStore store;
    private final List<CredentialLocation> locations;
    private final String realm;
    private final Clock clock;

    private ApiKeyAuth(ApiKeyStore store, List<CredentialLocation> locations, String realm, Clock clock) {
        this.store = store;
        this.locations = List.copyOf(locations);
        this.realm = realm;
        this.clock = clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public AuthResult authenticate(Exchange exchange) throws Exception {
        String key = null;
        CredentialLocation foundAt = null;
        for (CredentialLocation location : locations) {
            List<String> values = location.find(exchange);
            if (isBearer(location) && values.size() == 1 && JwtAuth.jwsShaped(values.getFirst())) {
                continue; // JwtAuth's to decide
            }
            if (values.size() > 1 || (!values.isEmpty() && foundAt != null)) {
                return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "More than one API key in the request");
            }
            if (values.size() == 1) {
                key = values.getFirst();
                foundAt = location;
            }
        }
        if (foundAt == null) {
            return AuthResult.absent();
        }
        if (key.isEmpty()) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "Empty API key");
        }
        byte[] hash = ApiKeys.sha256(key);
        ApiKey found = store.lookup(hash);
        if (found == null || !MessageDigest.isEqual(hash, found.sha256())) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Unknown API key");
        }
        if (found.expiredAt(clock.instant())) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "API key expired");
        }
        Map<String, Object> claims = new HashMap<>(found.metadata());
        claims.put(KEY_NAME_CLAIM, found.name());
        Principal principal = new Principal(found.subject(), SCHEME, found.roles(), claims);
        return AuthResult.authenticated(principal, new Credential(SCHEME, key), foundAt);
    }

    @Override
    public String challenge(AuthResult.Rejected rejection) {
        return locations.stream().anyMatch(ApiKeyAuth::isBearer)
                ? Challenges.of("Bearer", realm, rejection)
                : Challenges.of("ApiKey", realm, rejection, "header", hintedHeader());
    }

    private String hintedHeader() {
        for (CredentialLocation location : locations) {
            if (location instanceof CredentialLocation.Header header) {
                return header.name();
            }
        }
        return null;
    }

    @Override
    public Authenticator bind(GatewayContext gateway) throws Exception {
        ApiKeyStore bound = store.bind(gateway);
        return bound == store ? this : new ApiKeyAuth(bound, locations, realm, clock);
    }

    @Override
    public void close() throws Exception {
        store.close();
    }

    private static boolean isBearer(CredentialLocation location) {
        return location instanceof CredentialLocation.Authorization authorization
                && authorization.scheme().equalsIgnoreCase("Bearer");
    }


    /** Configures an {@link ApiKeyAuth}; a {@link #store} is required. */
    public static final class Builder {
        private ApiKeyStore store;
        private final List<CredentialLocation> locations = new ArrayList<>(List.of(BEARER, CredentialLocation.header("x-api-key")));
        private String realm = "agentgateway";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where keys are looked up. */
        public Builder store(ApiKeyStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /** Also looks for the key in this header, besides {@code Authorization: Bearer} and {@code x-api-key}. */
        public Builder header(String name) {
            requireNonNull(name, "name");
            // header names are case-insensitive: the same header listed twice would find the key twice
            boolean present = locations.stream().anyMatch(location ->
                    location instanceof CredentialLocation.Header header && header.name().equalsIgnoreCase(name));
            if (!present) {
                locations.add(CredentialLocation.header(name));
            }
            return this;
        }

        /** Looks for the key only in these places, instead of the defaults and any {@link #header} added. */
        public Builder locations(CredentialLocation... locations) {
            if (locations.length == 0) {
                throw new IllegalArgumentException("at least one location is needed");
            }
            this.locations.clear();
            this.locations.addAll(List.of(locations));
            return this;
        }

        /** The realm named in the challenge; {@code "agentgateway"} by default. */
        public Builder realm(String realm) {
            this.realm = AuthRealm.check(realm);
            return this;
        }

        /** The clock expiry is judged by; the system clock by default. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        public ApiKeyAuth build() {
            if (store == null) {
                throw new IllegalStateException("ApiKeyAuth needs a store");
            }
            return new ApiKeyAuth(store, locations, realm, clock);
        }
    }
}
