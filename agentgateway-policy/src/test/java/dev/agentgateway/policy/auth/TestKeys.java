package dev.agentgateway.policy.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** RSA keys and tokens signed with them, for tests that need tokens an IdP would never issue. */
final class TestKeys {
    static final String ISSUER = "https://issuer.test";
    static final String AUDIENCE = "agentgateway-test";

    private TestKeys() {
    }

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String jwks(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** A valid token for {@code subject}: issuer, audience, exp in 5 minutes; {@code claims} can change it. */
    static String token(RSAKey key, String subject, Consumer<JWTClaimsSet.Builder> claims) {
        return token(key, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                subject, claims);
    }

    static String token(RSAKey key, JWSHeader header, String subject, Consumer<JWTClaimsSet.Builder> claims) {
        long now = System.currentTimeMillis();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject(subject)
                .issueTime(new Date(now)).expirationTime(new Date(now + 300_000));
        claims.accept(builder);
        try {
            SignedJWT jwt = new SignedJWT(header, builder.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(RSAKey key, String subject) {
        return token(key, subject, claims -> { });
    }

    static Map<String, Object> realmRoles(String... roles) {
        return Map.of("roles", List.of(roles));
    }
}
