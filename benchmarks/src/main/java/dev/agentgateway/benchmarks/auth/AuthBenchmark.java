package dev.agentgateway.benchmarks.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.benchmarks.proxy.FastBackend;
import dev.agentgateway.benchmarks.proxy.Wrk;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.auth.ApiKey;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import dev.agentgateway.policy.auth.ApiKeys;
import dev.agentgateway.policy.auth.Authentication;
import dev.agentgateway.policy.auth.InMemoryApiKeyStore;
import dev.agentgateway.policy.auth.JwtAuth;
import dev.agentgateway.policy.auth.JwtIssuer;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.Locale;
import java.util.Set;

/**
 * What authentication and authorization cost on the proxy path: the same fast backend behind four
 * routes of one gateway, without authentication, with {@link JwtAuth} (RS256, keys cached: the steady
 * state), with {@link ApiKeyAuth}, and with API keys plus {@link CedarAuthorization} (51 policies; the
 * decision cache answers after the first request, as it does for a caller that comes back), and with API
 * keys plus a {@link RateLimit} per caller; wrk at saturation and at about half of it, runs interleaved so drift of
 * the machine hits every path alike. Prints the throughput ratios and the added p50/p99.
 *
 * <p>Usage: {@code AuthBenchmark [seconds=10] [connections=64] [rounds=2] [paths=all]}; needs {@code wrk}. {@code paths}
 * is a comma-separated subset of {@code jwt,apikey,cedar,limited} (plain is always measured), for a shorter
 * run of the one comparison wanted, such as {@code apikey,limited}: the rate limit alone is limited over apikey.
 */
public final class AuthBenchmark {
    private AuthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Set<String> only = args.length > 3 ? Set.of(args[3].split(",")) : null;
        if (!Wrk.installed()) {
            throw new IllegalStateException("wrk is needed: apt-get install wrk");
        }
        RSAKey key = new RSAKeyGenerator(2048).keyID("bench").generate();
        String issuer = "https://issuer.bench";
        String token = token(key, issuer);
        String apiKey = ApiKeys.generate();
        try (FastBackend backend = FastBackend.start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(route("plain", backend, null))
                     .route(route("jwt", backend, Authentication.required(JwtAuth.builder().issuer(JwtIssuer.builder(issuer)
                             .keys(new JWKSet(key.toPublicJWK()).toString()).audience("bench").build()).build())))
                     .route(route("apikey", backend, Authentication.required(ApiKeyAuth.builder()
                             .store(InMemoryApiKeyStore.of(ApiKey.builder("bench").key(apiKey).build())).build())))
                     .route(Route.builder("cedar").pathPrefix("/cedar").backend(HttpBackend.of("http://127.0.0.1:" + backend.port()))
                             .policy(Authentication.required(ApiKeyAuth.builder()
                                     .store(InMemoryApiKeyStore.of(ApiKey.builder("bench").key(apiKey).roles("bench").build())).build()))
                             .policy(CedarAuthorization.builder().policies(cedarPolicies()).build()).build())
                     .route(Route.builder("limited").pathPrefix("/limited").backend(HttpBackend.of("http://127.0.0.1:" + backend.port()))
                             .policy(Authentication.required(ApiKeyAuth.builder()
                                     .store(InMemoryApiKeyStore.of(ApiKey.builder("bench").key(apiKey).build())).build()))
                             // a limit per caller that never refuses at these rates: the cost of keeping it
                             .policy(RateLimit.builder().limit(Limit.of("per-user", 1_000_000_000L, Duration.ofSeconds(1))
                                     .key(RateLimitKey.principal())).build()).build())
                     .start()) {
            String base = "http://127.0.0.1:" + gateway.port();
            String[][] all = {
                {"plain", base + "/plain/", null},
                {"jwt", base + "/jwt/", "Bearer " + token},
                {"apikey", base + "/apikey/", "Bearer " + apiKey},
                {"cedar", base + "/cedar/", "Bearer " + apiKey},
                {"limited", base + "/limited/", "Bearer " + apiKey},
            };
            String[][] paths = Arrays.stream(all).filter(path -> only == null || path[0].equals("plain") || only.contains(path[0]))
                    .toArray(String[][]::new);
            System.out.printf("cores=%d java=%s connections=%d duration=%ds rounds=%d token=%d chars%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), connections, seconds, rounds,
                    token.length());
            for (String[] path : paths) {
                Wrk.run(path[1], 2, connections, Math.max(5, seconds / 2), script(path[2], 0)); // JIT warm-up
            }
            Averages saturation = measure(paths, connections, seconds, 0, rounds);
            System.out.println("\n== saturation ==");
            for (int i = 0; i < paths.length; i++) {
                System.out.printf(Locale.ROOT, "%-7s %9.0f req/s  p99 %6.3f ms  ratio to plain %.3f%n",
                        paths[i][0], saturation.rate[i], saturation.p99[i], saturation.rate[i] / saturation.rate[0]);
            }
            int apikey = index(paths, "apikey");
            int limited = index(paths, "limited");
            if (apikey >= 0 && limited >= 0) { // the same authentication, with and without the limit
                System.out.printf(Locale.ROOT, "rate limit alone: limited/apikey %.3f%n", saturation.rate[limited] / saturation.rate[apikey]);
            }
            int halfConnections = Math.max(1, (int) Math.round(saturation.rate[0] / 2 * 1.2 / 1000));
            System.out.printf(Locale.ROOT, "%n== about half of saturation (%d connections, 1 ms pause) ==%n", halfConnections);
            Averages half = measure(paths, halfConnections, seconds, 1, rounds);
            for (int i = 0; i < paths.length; i++) {
                System.out.printf(Locale.ROOT, "%-7s p50 %6.3f ms  p99 %6.3f ms  added over plain: p50 %+.3f ms, p99 %+.3f ms%n",
                        paths[i][0], half.p50[i], half.p99[i], half.p50[i] - half.p50[0], half.p99[i] - half.p99[0]);
            }
            if (apikey >= 0 && limited >= 0) {
                System.out.printf(Locale.ROOT, "rate limit alone: added over apikey: p50 %+.3f ms, p99 %+.3f ms%n",
                        half.p50[limited] - half.p50[apikey], half.p99[limited] - half.p99[apikey]);
            }
        }
    }

    private static int index(String[][] paths, String name) {
        for (int i = 0; i < paths.length; i++) {
            if (paths[i][0].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Per path, the mean over rounds of wrk's rate and percentiles. */
    private record Averages(double[] rate, double[] p50, double[] p99) {
    }

    /** Every path once per round, interleaved, so that drift of the machine hits every path alike. */
    private static Averages measure(String[][] paths, int connections, int seconds, int delayMillis, int rounds) throws Exception {
        Averages averages = new Averages(new double[paths.length], new double[paths.length], new double[paths.length]);
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < paths.length; i++) {
                Wrk.Result result = checked(paths[i][0], Wrk.run(paths[i][1], 2, connections, seconds, script(paths[i][2], delayMillis)));
                averages.rate[i] += result.requestsPerSecond() / rounds;
                averages.p50[i] += result.p50Millis() / rounds;
                averages.p99[i] += result.p99Millis() / rounds;
            }
        }
        return averages;
    }

    /** 51 policies over 3 groups, as in the JMH benchmark; the last one lets the benchmark's key through. */
    private static String cedarPolicies() {
        StringBuilder policies = new StringBuilder();
        for (String group : new String[] {"dev", "ops", "support"}) {
            for (int i = 0; i < 16; i++) {
                policies.append("permit(principal in Group::\"").append(group)
                        .append("\", action == Action::\"call_tool\", resource == Tool::\"github_tool").append(i).append("\");\n");
            }
        }
        policies.append("forbid(principal, action == Action::\"http_request\", resource) when { context.request.method == \"DELETE\" };\n");
        policies.append("permit(principal in Group::\"ops\", action == Action::\"http_request\", resource);\n");
        policies.append("permit(principal in Group::\"bench\", action == Action::\"http_request\", resource == Route::\"cedar\");\n");
        return policies.toString();
    }

    private static Route route(String name, FastBackend backend, Authentication authentication) {
        Route.Builder route = Route.builder(name).pathPrefix("/" + name).backend(HttpBackend.of("http://127.0.0.1:" + backend.port()));
        return (authentication == null ? route : route.policy(authentication)).build();
    }

    private static String token(RSAKey key, String issuer) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience("bench").subject("load")
                .claim("scope", "tools:read tools:call").expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String script(String authorization, int delayMillis) {
        StringBuilder lua = new StringBuilder();
        if (authorization != null) {
            lua.append("wrk.headers[\"Authorization\"] = \"").append(authorization).append("\"\n");
        }
        if (delayMillis > 0) {
            lua.append("function delay() return ").append(delayMillis).append(" end\n");
        }
        return lua.isEmpty() ? null : lua.toString();
    }

    /** A path that answers errors would measure the error path: refuse the figure. */
    private static Wrk.Result checked(String name, Wrk.Result result) {
        if (result.errors() != null && !result.errors().isBlank()) {
            throw new IllegalStateException(name + ": wrk saw errors: " + result.errors());
        }
        return result;
    }
}
