package dev.agentgateway.policy.auth.internal;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import java.util.List;

/** Keeps the asymmetric public keys of a JWK set: private parts and symmetric keys never verify tokens. */
public final class PublicKeys {
    private PublicKeys() {
    }

    /** The public asymmetric keys of {@code set}. */
    public static JWKSet only(JWKSet set) {
        List<JWK> keys = set.getKeys().stream()
                .filter(key -> !KeyType.OCT.equals(key.getKeyType()))
                .map(JWK::toPublicJWK)
                .toList();
        return new JWKSet(keys);
    }

    /** An inline JWK set (JSON) or PEM-encoded keys and certificates. */
    public static JWKSet parse(String jwkSetOrPem) throws Exception {
        String text = jwkSetOrPem.strip();
        if (text.startsWith("{")) {
            return only(JWKSet.parse(text));
        }
        return only(new JWKSet(JWK.parseFromPEMEncodedObjects(text)));
    }
}
