package dev.agentgateway.benchmarks.jmh;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.policy.auth.AuthResult;
import dev.agentgateway.policy.auth.Authenticator;
import dev.agentgateway.policy.auth.JwtAuth;
import dev.agentgateway.policy.auth.JwtIssuer;
import java.lang.reflect.Proxy;
import java.util.Date;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JWT validation by {@link JwtAuth} on keys it already holds (an inline RS256 JWK set): the cost the
 * gateway adds per request for a token it has seen before (the verified-token cache answers) and for a
 * fresh token (signature, claims and principal built), which is what a new token costs once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JwtValidationBenchmark {
    private static final String ISSUER = "https://idp.example/realms/agents";
    private static final String AUDIENCE = "https://gateway.example/mcp";

    private Authenticator cached;
    private Authenticator uncached;
    private BenchExchange exchange;

    @Setup
    public void setUp() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        JwtIssuer issuer = JwtIssuer.builder(ISSUER).keys(new JWKSet(key.toPublicJWK()).toString())
                .audience(AUDIENCE).rolesClaim("scope").build();
        GatewayContext context = directExecutorContext();
        cached = JwtAuth.builder().issuer(issuer).build().bind(context);
        uncached = JwtAuth.builder().issuer(issuer).verifiedTokenCache(0).build().bind(context);
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                        .claim("scope", "tools:read tools:call").claim("azp", "claude-desktop")
                        .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        token.sign(new RSASSASigner(key));
        exchange = new BenchExchange(HttpFields.build().put(HttpHeader.AUTHORIZATION, "Bearer " + token.serialize()));
        for (Authenticator authenticator : new Authenticator[] {cached, uncached}) {
            if (!(authenticator.authenticate(exchange) instanceof AuthResult.Authenticated)) {
                throw new IllegalStateException("the benchmark's token is not accepted");
            }
        }
    }

    /** A context whose executor runs tasks at once: JwtAuth only uses it to prefetch keys, and inline keys need none. */
    private static GatewayContext directExecutorContext() {
        Executor direct = Runnable::run;
        return (GatewayContext) Proxy.newProxyInstance(GatewayContext.class.getClassLoader(), new Class<?>[] {GatewayContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("executor")) {
                        return direct;
                    }
                    throw new UnsupportedOperationException(method.getName() + " is not part of the benchmark's context");
                });
    }

    @TearDown
    public void tearDown() throws Exception {
        cached.close();
        uncached.close();
    }

    /** A token seen before: found in the verified-token cache by its SHA-256. */
    @Benchmark
    public AuthResult knownToken() throws Exception {
        return cached.authenticate(exchange);
    }

    /** Full validation: RS256 signature, iss/aud/exp/nbf/iat, principal with roles and claims. */
    @Benchmark
    public AuthResult fullValidation() throws Exception {
        return uncached.authenticate(exchange);
    }
}
