package dev.agentgateway.policy.auth.internal;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.agentgateway.policy.auth.JwtIssuer;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies the tokens of one issuer for one gateway: nimbus's processor with a key selector limited
 * to the issuer's algorithms (so {@code alg: none} and algorithm-family confusion fail there), keys
 * only from the configured source (a token's {@code jku}, {@code x5u}, {@code jwk} or {@code x5c}
 * header is never consulted), and nimbus's claims verifier for iss, aud, exp, nbf and required claims,
 * plus an {@code iat} check nimbus does not make.
 */
public final class IssuerVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(IssuerVerifier.class);
    private static final int MAX_JWKS_BYTES = 512 * 1024;

    private final JwtIssuer issuer;
    private final JWKSource<SecurityContext> keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final AtomicLong lastOutageLog = new AtomicLong();

    public IssuerVerifier(JwtIssuer issuer) throws Exception {
        this.issuer = issuer;
        this.keys = keySource(issuer);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(issuer.algorithms(), keys));
        if (!issuer.types().isEmpty()) {
            Set<JOSEObjectType> types = new HashSet<>();
            for (String type : issuer.types()) {
                types.add(new JOSEObjectType(type));
                types.add(new JOSEObjectType("application/" + type)); // RFC 9068 allows both spellings
            }
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        }
        processor.setJWTClaimsSetVerifier(claimsVerifier(issuer));
    }

    private JWKSource<SecurityContext> keySource(JwtIssuer issuer) throws Exception {
        return switch (issuer.keySource()) {
            case HMAC -> new ImmutableSecret<>(issuer.hmacSecret());
            case INLINE -> new ImmutableJWKSet<>(PublicKeys.parse(issuer.inlineKeys()));
            case JWKS_URI, DISCOVERY -> {
                int timeout = (int) issuer.fetchTimeout().toMillis();
                var retriever = new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES);
                var remote = new RemoteJwkSetSource(issuer.issuer(), issuer.keysUri(),
                        issuer.keySource() == JwtIssuer.KeySource.DISCOVERY, retriever);
                yield JWKSourceBuilder.create(remote)
                        .cache(issuer.cacheTtl().toMillis(), issuer.fetchTimeout().toMillis())
                        .rateLimited(issuer.refetchInterval().toMillis())
                        .outageTolerant(issuer.outageTolerance().toMillis(), event -> {
                            if (event instanceof OutageTolerantJWKSetSource.OutageEvent<?> outage) {
                                logOutage(outage);
                            }
                        })
                        .retrying(true)
                        .build();
            }
        };
    }

    private void logOutage(OutageTolerantJWKSetSource.OutageEvent<?> outage) {
        long now = System.nanoTime();
        long last = lastOutageLog.get();
        if (last == 0 || now - last > 60_000_000_000L) { // once a minute is enough to be noticed
            if (lastOutageLog.compareAndSet(last, now)) {
                LOG.warn("JWKS of issuer {} unreachable ({}); verifying with the last good keys for up to {} s more",
                        issuer.issuer(), outage.getException().getMessage(), outage.getRemainingTime() / 1000);
            }
        }
    }

    private static DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(JwtIssuer issuer) {
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder().issuer(issuer.issuer());
        issuer.requiredClaims().forEach(exact::claim);
        Set<String> required = new HashSet<>(Set.of("exp", issuer.subjectClaim()));
        if (!issuer.audiences().isEmpty()) {
            required.add("aud");
        }
        long skewSeconds = issuer.clockSkew().toSeconds();
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                issuer.audiences().isEmpty() ? null : issuer.audiences(), exact.build(), required, null) {
            @Override
            public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
                super.verify(claims, context);
                Date issuedAt = claims.getIssueTime();
                if (issuedAt != null && issuedAt.getTime() > System.currentTimeMillis() + skewSeconds * 1000) {
                    throw new BadJWTException("JWT issued in the future");
                }
            }
        };
        verifier.setMaxClockSkew((int) skewSeconds);
        return verifier;
    }

    /** The issuer this verifies for. */
    public JwtIssuer issuer() {
        return issuer;
    }

    /** Verifies signature and claims; throws nimbus's exceptions with a reason that never contains the token. */
    public JWTClaimsSet verify(SignedJWT token) throws Exception {
        return processor.process(token, null);
    }

    /** Fetches the keys ahead of the first request (failures are logged; the first request retries). */
    public void prefetch() {
        if (issuer.keySource() == JwtIssuer.KeySource.JWKS_URI || issuer.keySource() == JwtIssuer.KeySource.DISCOVERY) {
            try {
                keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
            } catch (Exception e) {
                LOG.warn("JWKS of issuer {} not reachable yet: {}", issuer.issuer(), e.getMessage());
            }
        }
    }

    /** Releases the key source's caches. */
    public void close() throws Exception {
        if (keys instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
