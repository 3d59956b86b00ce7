package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Principal;
import dev.agentgateway.policy.auth.internal.ClaimPaths;
import dev.agentgateway.policy.auth.internal.IssuerVerifier;
import dev.agentgateway.policy.auth.internal.VerifiedTokens;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JWT bearer authentication for one or more issuers, on nimbus-jose-jwt: the token's {@code iss}
 * picks the issuer, whose keys, algorithms and claim rules decide (see {@link JwtIssuer}).
 *
 * <pre>{@code
 * JwtAuth jwt = JwtAuth.builder()
 *         .issuer(JwtIssuer.builder("https://idp.example.com").discovery().audience("agentgateway").build())
 *         .issuer(JwtIssuer.builder("https://ci.example.com").jwksUri("https://ci.example.com/keys")
 *                 .audience("agentgateway").algorithms("ES256").build())
 *         .build();
 * Route.builder("api").pathPrefix("/").policy(Authentication.required(jwt)).backend(upstream).build();
 * }</pre>
 *
 * <p>Tokens are read from {@code Authorization: Bearer} unless {@link Builder#tokenFrom} names other
 * places (a header, a cookie, or explicitly the query string). A bearer value that is not shaped like
 * a JWS (three dot-separated parts) is left to the next authenticator, so that JWTs and API keys can
 * share the {@code Authorization} header; anywhere else it is refused. Tokens longer than
 * {@link Builder#maxTokenLength} are refused before parsing. The principal's scheme is {@code jwt},
 * its subject the issuer's subject claim, its roles the configured role claims, its claims every claim
 * of the token (numbers for dates, as in the token).
 */
public final class JwtAuth implements Authenticator {
    /** How long a verified token is trusted without verifying it again, at most (its exp may end it sooner). */
    private static final long VERIFIED_MAX_AGE_MILLIS = 5 * 60_000;

    private final List<JwtIssuer> issuers;
    private final List<CredentialLocation> locations;
    private final int maxTokenLength;
    private final String realm;
    private final Map<String, IssuerVerifier> verifiers;
    private final int cachedTokens;
    private final VerifiedTokens verified;

    private JwtAuth(List<JwtIssuer> issuers, List<CredentialLocation> locations, int maxTokenLength, String realm,
            Map<String, IssuerVerifier> verifiers, int cachedTokens) {
        this.issuers = List.copyOf(issuers);
        this.locations = List.copyOf(locations.isEmpty() ? List.of(CredentialLocation.authorization("Bearer")) : locations);
        this.maxTokenLength = maxTokenLength;
        this.realm = realm;
        this.verifiers = verifiers;
        this.cachedTokens = cachedTokens;
        // one cache per bound instance: a gateway's tokens never leak into another gateway's decisions
        this.verified = verifiers == null ? null : new VerifiedTokens(cachedTokens, VERIFIED_MAX_AGE_MILLIS);
    }

    /** A builder; at least one issuer is needed. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String scheme() {
        return "jwt";
    }

    /** The trusted issuers. */
    public List<JwtIssuer> issuers() {
        return issuers;
    }

    @Override
    public Authenticator bind(GatewayContext gateway) throws Exception {
        Map<String, IssuerVerifier> bound = new HashMap<>();
        for (JwtIssuer issuer : issuers) {
            IssuerVerifier verifier = new IssuerVerifier(issuer);
            bound.put(issuer.issuer(), verifier);
            gateway.executor().execute(verifier::prefetch);
        }
        return new JwtAuth(issuers, locations, maxTokenLength, realm, Map.copyOf(bound), cachedTokens);
    }

    @Override
    public void close() throws Exception {
        if (verifiers != null) {
            for (IssuerVerifier verifier : verifiers.values()) {
                verifier.close();
            }
        }
    }

    @Override
    public AuthResult authenticate(Exchange exchange) throws Exception {
        for (CredentialLocation location : locations) {
            List<String> found = location.find(exchange);
            if (found.isEmpty()) {
                continue;
            }
            if (found.size() > 1) {
                return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "More than one credential presented");
            }
            String token = found.getFirst();
            if (token.length() > maxTokenLength) {
                return AuthResult.rejected(AuthResult.Rejected.INVALID_REQUEST, "Token longer than " + maxTokenLength + " characters");
            }
            if (!jwsShaped(token)) {
                if (location instanceof CredentialLocation.Authorization) {
                    continue; // an opaque bearer value: an API key authenticator may know it
                }
                return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Malformed token");
            }
            return verify(token, location);
        }
        return AuthResult.absent();
    }

    private AuthResult verify(String token, CredentialLocation location) {
        Map<String, IssuerVerifier> bound = verifiers();
        long now = System.currentTimeMillis();
        Principal known = verified.lookup(token, now);
        if (known != null) {
            return AuthResult.authenticated(known, Credential.bearer(token), location);
        }
        IssuerVerifier verifier;
        SignedJWT jwt;
        try {
            JWT parsed = JWTParser.parse(token);
            if (!(parsed instanceof SignedJWT signed)) {
                return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Only signed tokens are accepted");
            }
            jwt = signed;
            verifier = bound.get(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Malformed token");
        }
        if (verifier == null) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Untrusted issuer");
        }
        JWTClaimsSet claims;
        try {
            claims = verifier.verify(jwt);
        } catch (RateLimitReachedException e) {
            // an unknown kid after the issuer's keys were refetched within the refetch interval: a
            // flood of made-up key ids must not hammer the identity provider, and it is the token's fault
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Invalid token: unknown signing key");
        } catch (KeySourceException e) {
            // not the caller's fault: the issuer's keys cannot be had at all (never fetched, outage too long)
            throw new GatewayException(503, "identity_provider_unavailable",
                    "Cannot verify tokens of issuer " + verifier.issuer().issuer() + " now", e);
        } catch (Exception e) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Invalid token: " + e.getMessage());
        }
        JwtIssuer issuer = verifier.issuer();
        Map<String, Object> values = claims.toJSONObject();
        if (!(values.get(issuer.subjectClaim()) instanceof String subject) || subject.isEmpty()) {
            return AuthResult.rejected(AuthResult.Rejected.INVALID_TOKEN, "Token has no " + issuer.subjectClaim() + " claim");
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String path : issuer.rolesClaims()) {
            roles.addAll(ClaimPaths.strings(values, path));
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (value != null) {
                kept.put(name, value);
            }
        });
        Principal principal = new Principal(subject, scheme(), roles, kept);
        verified.remember(token, principal, claims.getExpirationTime().getTime() + issuer.clockSkew().toMillis(), now);
        return AuthResult.authenticated(principal, Credential.bearer(token), location);
    }

    private Map<String, IssuerVerifier> verifiers() {
        if (verifiers == null) {
            throw new IllegalStateException("JwtAuth is used before the gateway bound it");
        }
        return verifiers;
    }

    @Override
    public String challenge(AuthResult.Rejected rejection) {
        return Challenges.of("Bearer", realm, rejection);
    }

    /** Three base64url parts (the last may be empty), the compact JWS form; checked before any parsing, and by
     * {@link ApiKeyAuth}, which leaves such bearer values to this authenticator. */
    static boolean jwsShaped(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || token.indexOf('.', second + 1) >= 0) {
            return false; // header and payload must not be empty; the signature may be (alg none, refused later)
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Configures a {@link JwtAuth}. */
    public static final class Builder {
        private final List<JwtIssuer> issuers = new ArrayList<>();
        private final List<CredentialLocation> locations = new ArrayList<>();
        private int maxTokenLength = 16 * 1024;
        private String realm = "agentgateway";
        private int cachedTokens = 10_000;

        private Builder() {
        }

        /** Trusts tokens of this issuer. */
        public Builder issuer(JwtIssuer issuer) {
            requireNonNull(issuer, "issuer");
            if (issuers.stream().anyMatch(known -> known.issuer().equals(issuer.issuer()))) {
                throw new IllegalArgumentException("issuer " + issuer.issuer() + " is configured twice");
            }
            issuers.add(issuer);
            return this;
        }

        /**
         * Where tokens are read, in this order, instead of {@code Authorization: Bearer}; a query
         * parameter only when named here, and it is removed before forwarding.
         */
        public Builder tokenFrom(CredentialLocation... places) {
            for (CredentialLocation place : places) {
                locations.add(requireNonNull(place, "location"));
            }
            return this;
        }

        /** Longer tokens are refused before parsing; 16 KiB by default. */
        public Builder maxTokenLength(int characters) {
            if (characters < 64) {
                throw new IllegalArgumentException("maxTokenLength must be at least 64: " + characters);
            }
            this.maxTokenLength = characters;
            return this;
        }

        /**
         * How many verified tokens are remembered so that the same token is not verified again (10,000 by
         * default; 0 turns it off). A remembered token is accepted until its {@code exp} or for 5 minutes,
         * whichever is first, so a key the issuer withdraws stops working within 5 minutes, as it does
         * through the JWKS cache.
         */
        public Builder verifiedTokenCache(int tokens) {
            if (tokens < 0) {
                throw new IllegalArgumentException("verifiedTokenCache must not be negative: " + tokens);
            }
            this.cachedTokens = tokens;
            return this;
        }

        /** The realm named in challenges; {@code agentgateway} by default, {@code null} for none. */
        public Builder realm(String realm) {
            this.realm = realm;
            return this;
        }

        /** The authenticator. */
        public JwtAuth build() {
            if (issuers.isEmpty()) {
                throw new IllegalStateException("JwtAuth needs at least one issuer");
            }
            return new JwtAuth(issuers, locations, maxTokenLength, realm, null, cachedTokens);
        }
    }
}
