package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import dev.agentgateway.core.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One token issuer a {@link JwtAuth} trusts: where its keys come from, which algorithms it signs
 * with, and what its tokens must say. Keys come from exactly one place: a JWKS URL, OIDC discovery,
 * an inline JWK set or PEM public key, or (only when asked for explicitly) an HMAC secret.
 *
 * <pre>{@code
 * JwtIssuer keycloak = JwtIssuer.builder("https://sso.example.com/realms/agents")
 *         .discovery()                          // /.well-known/openid-configuration → jwks_uri
 *         .audience("agentgateway")
 *         .rolesClaim("realm_access.roles")
 *         .requiredClaim("azp", "ide-plugin")
 *         .build();
 * }</pre>
 *
 * <p>Defaults: asymmetric algorithms only (RS, PS, ES, EdDSA; EdDSA needs nimbus's optional Tink
 * dependency on the class path), 60 s clock skew, subject from {@code sub}, no roles, keys cached for
 * 5 minutes, at most one refetch for unknown key ids per 30 s, and the last good keys kept for 1 hour
 * while the JWKS endpoint is down. An audience is required unless {@link Builder#anyAudience()} says
 * otherwise: a token minted for another service must not open this one.
 */
public final class JwtIssuer {
    /** The algorithms accepted when none are configured: every asymmetric JWS family. */
    public static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384,
            JWSAlgorithm.ES512, JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);

    /** Where the issuer's keys come from. */
    public enum KeySource { JWKS_URI, DISCOVERY, INLINE, HMAC }

    private final String issuer;
    private final KeySource keySource;
    private final URI keysUri;
    private final String inlineKeys;
    private final byte[] hmacSecret;
    private final Set<JWSAlgorithm> algorithms;
    private final Set<String> audiences;
    private final Map<String, Object> requiredClaims;
    private final Set<String> types;
    private final String subjectClaim;
    private final List<String> rolesClaims;
    private final Duration clockSkew;
    private final Duration cacheTtl;
    private final Duration refetchInterval;
    private final Duration outageTolerance;
    private final Duration fetchTimeout;

    private JwtIssuer(Builder b) {
        this.issuer = b.issuer;
        this.keySource = b.keySource;
        this.keysUri = b.keysUri;
        this.inlineKeys = b.inlineKeys;
        this.hmacSecret = b.hmacSecret;
        this.algorithms = Set.copyOf(b.algorithms);
        this.audiences = Set.copyOf(b.audiences);
        this.requiredClaims = Map.copyOf(b.requiredClaims);
        this.types = Set.copyOf(b.types);
        this.subjectClaim = b.subjectClaim;
        this.rolesClaims = List.copyOf(b.rolesClaims);
        this.clockSkew = b.clockSkew;
        this.cacheTtl = b.cacheTtl;
        this.refetchInterval = b.refetchInterval;
        this.outageTolerance = b.outageTolerance;
        this.fetchTimeout = b.fetchTimeout;
    }

    /** A builder for tokens whose {@code iss} is exactly {@code issuer}. */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** The {@code iss} value. */
    public String issuer() { return issuer; }
    /** Where the keys come from. */
    public KeySource keySource() { return keySource; }
    /** The JWKS URL, or the discovery document's URL; {@code null} for inline keys and HMAC. */
    public URI keysUri() { return keysUri; }
    /** The inline JWK set (JSON) or PEM; {@code null} otherwise. */
    public String inlineKeys() { return inlineKeys; }
    /** The HMAC secret (a copy), or {@code null}. */
    public byte[] hmacSecret() { return hmacSecret == null ? null : hmacSecret.clone(); }
    /** The accepted algorithms. */
    public Set<JWSAlgorithm> algorithms() { return algorithms; }
    /** Accepted audiences; empty means any (only after {@link Builder#anyAudience()}). */
    public Set<String> audiences() { return audiences; }
    /** Claims that must be present with exactly these values. */
    public Map<String, Object> requiredClaims() { return requiredClaims; }
    /** Accepted {@code typ} header values; empty means {@code JWT} or none. */
    public Set<String> types() { return types; }
    /** The claim that names the caller. */
    public String subjectClaim() { return subjectClaim; }
    /** Dotted claim paths that hold roles. */
    public List<String> rolesClaims() { return rolesClaims; }
    /** Tolerance for {@code exp}, {@code nbf} and {@code iat}. */
    public Duration clockSkew() { return clockSkew; }
    /** How long fetched keys are used before they are fetched again. */
    public Duration cacheTtl() { return cacheTtl; }
    /** The shortest interval between two fetches caused by unknown key ids. */
    public Duration refetchInterval() { return refetchInterval; }
    /** How long the last good keys serve while the JWKS endpoint fails. */
    public Duration outageTolerance() { return outageTolerance; }
    /** Connect and read timeout of key and discovery fetches. */
    public Duration fetchTimeout() { return fetchTimeout; }

    @Override
    public String toString() {
        return "JwtIssuer[" + issuer + ", " + keySource + "]";
    }

    /** Configures a {@link JwtIssuer}. */
    public static final class Builder {
        private final String issuer;
        private KeySource keySource;
        private URI keysUri;
        private String inlineKeys;
        private byte[] hmacSecret;
        private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        private final Set<String> audiences = new LinkedHashSet<>();
        private boolean anyAudience;
        private final Map<String, Object> requiredClaims = new LinkedHashMap<>();
        private final Set<String> types = new LinkedHashSet<>();
        private String subjectClaim = "sub";
        private final List<String> rolesClaims = new ArrayList<>();
        private Duration clockSkew = Duration.ofSeconds(60);
        private Duration cacheTtl = Duration.ofMinutes(5);
        private Duration refetchInterval = Duration.ofSeconds(30);
        private Duration outageTolerance = Duration.ofHours(1);
        private Duration fetchTimeout = Duration.ofSeconds(5);

        private Builder(String issuer) {
            requireNonNull(issuer, "issuer");
            if (issuer.isBlank()) {
                throw new IllegalArgumentException("issuer must not be blank");
            }
            this.issuer = issuer;
        }

        /** Keys from this JWKS URL. */
        public Builder jwksUri(String uri) {
            return keys(KeySource.JWKS_URI, URI.create(requireNonNull(uri, "uri")), null);
        }

        /** Keys from the {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}. */
        public Builder discovery() {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            return discovery(base + "/.well-known/openid-configuration");
        }

        /** Keys from the {@code jwks_uri} of this OIDC discovery (or RFC 8414 metadata) document. */
        public Builder discovery(String metadataUri) {
            return keys(KeySource.DISCOVERY, URI.create(requireNonNull(metadataUri, "metadataUri")), null);
        }

        /** Keys given inline: a JWK set as JSON, or PEM-encoded public keys or certificates. Private parts are dropped. */
        public Builder keys(String jwkSetOrPem) {
            return keys(KeySource.INLINE, null, requireNonNull(jwkSetOrPem, "jwkSetOrPem"));
        }

        /**
         * An HMAC secret (at least 32 bytes): the issuer signs with HS256/384/512. Only then are HMAC
         * algorithms accepted, so a public key can never be used as an HMAC secret.
         */
        public Builder hmacSecret(byte[] secret) {
            requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("HMAC secret of issuer " + issuer + " must have at least 32 bytes");
            }
            keys(KeySource.HMAC, null, null);
            this.hmacSecret = secret.clone();
            return this;
        }

        private Builder keys(KeySource source, URI uri, String inline) {
            if (keySource != null) {
                throw new IllegalStateException("issuer " + issuer + " already has its keys from " + keySource);
            }
            this.keySource = source;
            this.keysUri = uri;
            this.inlineKeys = inline;
            return this;
        }

        /** Restricts the accepted algorithms, for example {@code "RS256"}; {@code none} is never accepted. */
        public Builder algorithms(String... names) {
            for (String name : names) {
                JWSAlgorithm algorithm = JWSAlgorithm.parse(requireNonNull(name, "algorithm"));
                if (name.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("alg none is never accepted");
                }
                algorithms.add(algorithm);
            }
            return this;
        }

        /** Adds accepted audiences: a token is accepted when its {@code aud} holds any of them. */
        public Builder audience(String... audience) {
            for (String value : audience) {
                audiences.add(requireNonNull(value, "audience"));
            }
            return this;
        }

        /** Accepts tokens whatever their audience: only for issuers that mint tokens for this gateway alone. */
        public Builder anyAudience() {
            this.anyAudience = true;
            return this;
        }

        /** Requires a claim with exactly this value, for example {@code ("tid", "my-tenant")}. */
        public Builder requiredClaim(String claim, Object value) {
            requiredClaims.put(requireNonNull(claim, "claim"), requireNonNull(value, "value"));
            return this;
        }

        /** Requires this {@code typ} header, for example {@code "at+jwt"} for RFC 9068 access tokens. */
        public Builder requireType(String... type) {
            for (String value : type) {
                types.add(requireNonNull(value, "type"));
            }
            return this;
        }

        /** The claim that names the caller; {@code sub} by default. */
        public Builder subjectClaim(String claim) {
            this.subjectClaim = requireNonNull(claim, "claim");
            return this;
        }

        /**
         * Claim paths whose values become roles: {@code groups}, {@code roles}, Keycloak's
         * {@code realm_access.roles}, or {@code scope} (space-separated) and {@code scp} (array).
         */
        public Builder rolesClaim(String... paths) {
            for (String path : paths) {
                rolesClaims.add(requireNonNull(path, "path"));
            }
            return this;
        }

        /** Tolerance for {@code exp}, {@code nbf} and {@code iat}; 60 s by default. */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative()) {
                throw new IllegalArgumentException("clockSkew must not be negative");
            }
            this.clockSkew = skew;
            return this;
        }

        /** How long fetched keys are used; 5 minutes by default. */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = Checks.positive(ttl, "cacheTtl");
            return this;
        }

        /** The shortest interval between refetches caused by unknown key ids; 30 s by default. */
        public Builder refetchInterval(Duration interval) {
            this.refetchInterval = Checks.positive(interval, "refetchInterval");
            return this;
        }

        /** How long the last good keys serve while the JWKS endpoint fails; 1 hour by default. */
        public Builder outageTolerance(Duration tolerance) {
            this.outageTolerance = Checks.positive(tolerance, "outageTolerance");
            return this;
        }

        /** Connect and read timeout of key fetches; 5 s by default. */
        public Builder fetchTimeout(Duration timeout) {
            this.fetchTimeout = Checks.positive(timeout, "fetchTimeout");
            return this;
        }

        /** The issuer; fails when keys, audience or algorithms do not fit together. */
        public JwtIssuer build() {
            if (keySource == null) {
                throw new IllegalStateException("issuer " + issuer
                        + " needs keys: jwksUri(...), discovery(), keys(...) or hmacSecret(...)");
            }
            if (audiences.isEmpty() && !anyAudience) {
                throw new IllegalStateException("issuer " + issuer + " needs audience(...) or an explicit anyAudience()");
            }
            boolean hmac = keySource == KeySource.HMAC;
            if (algorithms.isEmpty()) {
                algorithms.addAll(hmac ? JWSAlgorithm.Family.HMAC_SHA : ASYMMETRIC);
            }
            for (JWSAlgorithm algorithm : algorithms) {
                boolean hmacAlgorithm = JWSAlgorithm.Family.HMAC_SHA.contains(algorithm);
                if (hmacAlgorithm != hmac) {
                    throw new IllegalStateException("issuer " + issuer + ": algorithm " + algorithm
                            + (hmac ? " does not fit an HMAC secret" : " needs an explicit hmacSecret(...)"));
                }
            }
            return new JwtIssuer(this);
        }
    }
}
