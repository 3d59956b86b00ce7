package dev.agentgateway.policy.auth;

import static dev.agentgateway.policy.auth.TestKeys.AUDIENCE;
import static dev.agentgateway.policy.auth.TestKeys.ISSUER;
import static dev.agentgateway.policy.auth.TestKeys.token;
import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** JwtAuth on keys the test controls: the checks a verifier must make and the attacks it must refuse. */
class JwtAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RSAKey KEY = TestKeys.rsa("key-1");
    private static final AtomicReference<String> PUBLISHED = new AtomicReference<>(TestKeys.jwks(KEY));
    private static final AtomicBoolean JWKS_DOWN = new AtomicBoolean();
    /** The rotation and flood tests each have an issuer of their own, so no other test spends their refetch allowance. */
    private static final AtomicReference<String> ROTATING = new AtomicReference<>(TestKeys.jwks(KEY));
    private static final AtomicInteger FLOOD_FETCHES = new AtomicInteger();

    @RegisterExtension
    static final FakeUpstream idp = FakeUpstream.builder().handler("/rotating-jwks", (request, response) ->
            response.status(200).header("Content-Type", "application/json").write(ROTATING.get())
    ).handler("/slow-jwks", (request, response) -> {
        Thread.sleep(3_000); // slower than the issuer's fetch timeout
        response.status(200).header("Content-Type", "application/json").write(TestKeys.jwks(KEY));
    }).handler("/flood-jwks", (request, response) -> {
        FLOOD_FETCHES.incrementAndGet();
        response.status(200).header("Content-Type", "application/json").write(TestKeys.jwks(KEY));
    }).handler("/jwks", (request, response) -> {
        if (JWKS_DOWN.get()) {
            response.status(503).write("down");
        } else {
            response.status(200).header("Content-Type", "application/json").write(PUBLISHED.get());
        }
    }).build();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    /** Shows the principal to the upstream, so tests read what authentication concluded. */
    static final Policy SHOW_PRINCIPAL = (exchange, next) -> {
        Principal principal = exchange.principal();
        exchange.requestHeaders().put("x-principal", principal == null ? "anonymous"
                : principal.subject() + ";" + String.join(",", new TreeSet<>(principal.roles())));
        return next.proceed(exchange);
    };

    static JwtIssuer.Builder issuer() {
        return issuer("/jwks");
    }

    static JwtIssuer.Builder issuer(String jwksPath) {
        return JwtIssuer.builder(ISSUER).jwksUri(idp.url() + jwksPath).audience(AUDIENCE).rolesClaim("realm_access.roles", "scope");
    }

    static Route route(String name, Authentication auth) {
        return Route.builder(name).pathPrefix("/" + name).policy(auth).policy(SHOW_PRINCIPAL)
                .backend(HttpBackend.of(upstream.url())).build();
    }

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> {
        JwtAuth jwt = JwtAuth.builder().issuer(issuer().build()).build();
        g.route(route("required", Authentication.required(jwt)));
        g.route(route("optional", Authentication.builder().authenticator(jwt).mode(AuthMode.OPTIONAL).build()));
        g.route(route("permissive", Authentication.builder().authenticator(jwt).mode(AuthMode.PERMISSIVE).build()));
        g.route(route("passthrough", Authentication.builder().authenticator(jwt).passthrough(true).build()));
        g.route(route("query", Authentication.required(JwtAuth.builder().issuer(issuer().build())
                .tokenFrom(CredentialLocation.query("access_token")).build())));
        g.route(route("cookie", Authentication.required(JwtAuth.builder().issuer(issuer().build())
                .tokenFrom(CredentialLocation.cookie("id")).build())));
        g.route(route("strict", Authentication.required(JwtAuth.builder().issuer(issuer()
                .requireType("at+jwt").requiredClaim("tid", "team-a").build()).build())));
        g.route(route("rotating", Authentication.required(JwtAuth.builder()
                .issuer(issuer("/rotating-jwks").build()).build())));
        g.route(route("flood", Authentication.required(JwtAuth.builder()
                .issuer(issuer("/flood-jwks").build()).build())));
        g.route(route("small", Authentication.required(JwtAuth.builder().issuer(issuer().build()).maxTokenLength(4096).build())));
        g.route(route("slowidp", Authentication.required(JwtAuth.builder().issuer(issuer("/slow-jwks")
                .fetchTimeout(java.time.Duration.ofMillis(300)).build()).build())));
        g.route(route("nokeys", Authentication.required(JwtAuth.builder().issuer(JwtIssuer.builder(ISSUER)
                .jwksUri("http://127.0.0.1:1/jwks").audience(AUDIENCE).fetchTimeout(java.time.Duration.ofMillis(500)).build()).build())));
    });

    @BeforeEach
    void publishFirstKey() {
        PUBLISHED.set(TestKeys.jwks(KEY));
        JWKS_DOWN.set(false);
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return gateway.httpClient().send(request.build(), ofString());
    }

    HttpResponse<String> bearer(String path, String token) throws Exception {
        return get(path, "Authorization", "Bearer " + token);
    }

    static JsonNode upstreamSaw(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("headers");
    }

    void assertRefused(HttpResponse<String> response, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                .startsWith("Bearer realm=\"agentgateway\"");
        assertThat(response.body()).contains(reason);
    }

    @Test
    void validTokenReachesUpstreamWithPrincipalAndWithoutCredential() throws Exception {
        String token = token(KEY, "alice", c -> c.claim("realm_access", TestKeys.realmRoles("admin", "dev"))
                .claim("scope", "tools:read tools:call"));
        JsonNode headers = upstreamSaw(bearer("/required/x", token));
        assertThat(headers.path("x-principal").get(0).asText()).isEqualTo("alice;admin,dev,tools:call,tools:read");
        assertThat(headers.has("authorization")).isFalse();
    }

    @Test
    void passthroughKeepsTheToken() throws Exception {
        String token = token(KEY, "alice");
        assertThat(upstreamSaw(bearer("/passthrough/x", token)).path("authorization").get(0).asText())
                .isEqualTo("Bearer " + token);
    }

    @Test
    void missingTokenIsChallengedAndNothingReachesUpstream() throws Exception {
        long before = upstream.receivedCount();
        HttpResponse<String> response = get("/required/x");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"agentgateway\"");
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("unauthorized");
        assertThat(upstream.receivedCount()).isEqualTo(before);
    }

    @Test
    void expiredNotYetValidAndFutureIssuedTokensAreRefused() throws Exception {
        long now = System.currentTimeMillis();
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.expirationTime(new Date(now - 120_000)))), "Expired");
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.notBeforeTime(new Date(now + 600_000)))), "before");
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.issueTime(new Date(now + 600_000)))), "future");
        // within the 60 s skew: accepted
        upstreamSaw(bearer("/required/x", token(KEY, "a", c -> c.expirationTime(new Date(now - 10_000)))));
    }

    @Test
    void wrongIssuerAndAudienceAreRefused() throws Exception {
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.issuer("https://evil.test"))), "Untrusted issuer");
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.audience("another-resource"))), "aud claim rejected");
        assertRefused(bearer("/required/x", token(KEY, "a", c -> c.audience((String) null))), "missing required aud claim");
    }

    @Test
    void unsignedTokensAreRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("a")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        String none = new PlainJWT(claims).serialize(); // "eyJhbGciOiJub25lIn0.<claims>." : two dots, empty signature
        assertRefused(bearer("/required/x", none), "");
        String noneWithSignature = none + "c2ln";
        assertRefused(bearer("/required/x", noneWithSignature), "");
    }

    @Test
    void hmacSignedWithThePublicKeyIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("mallory")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(), claims);
        jwt.sign(new MACSigner(KEY.toRSAPublicKey().getEncoded()));
        assertRefused(bearer("/required/x", jwt.serialize()), "Invalid token");
    }

    @Test
    void keysNamedByTheTokenAreNeverUsed() throws Exception {
        RSAKey attacker = TestKeys.rsa("key-1"); // same kid, other key
        JWSHeader embedded = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").jwk(attacker.toPublicJWK())
                .jwkURL(URI.create(idp.url() + "/evil-jwks")).x509CertURL(URI.create(idp.url() + "/evil-x5u")).build();
        assertRefused(bearer("/required/x", token(attacker, embedded, "mallory", c -> { })), "Invalid token");
        assertThat(idp.requests()).noneMatch(r -> r.path().startsWith("/evil"));
    }

    @Test
    void malformedTokensAreRefused() throws Exception {
        String token = token(KEY, "a");
        String[] parts = token.split("\\.");
        assertRefused(bearer("/required/x", parts[0] + ".bm90LWpzb24." + parts[2]), "");
        assertRefused(bearer("/required/x", "e30." + parts[1] + "." + parts[2]), "");
        assertRefused(bearer("/required/x", parts[0] + "." + parts[1] + ".AAAA"), "Invalid token");
        // not JWS-shaped at all: no authenticator recognises it
        assertThat(bearer("/required/x", "not a token!").statusCode()).isEqualTo(401);
    }

    @Test
    void oversizedTokenIsRefusedBeforeParsing() throws Exception {
        // below Jetty's 8 KiB request-header limit (which answers 431 by itself), above this route's 4096
        String big = token(KEY, "a", c -> c.claim("padding", "x".repeat(4_000)));
        assertThat(big.length()).isBetween(4097, 7000);
        assertRefused(bearer("/small/x", big), "Token longer than 4096 characters");
        assertThat(bearer("/required/x", big).statusCode()).isEqualTo(200);
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws Exception {
        String token = token(KEY, "a");
        HttpResponse<String> response = get("/required/x", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_request");
    }

    @Test
    void tokenInTheQueryOnlyWhereEnabledAndThenRemoved() throws Exception {
        String token = token(KEY, "alice");
        assertThat(get("/required/x?access_token=" + token).statusCode()).isEqualTo(401);
        HttpResponse<String> response = get("/query/x?a=1&access_token=" + token + "&b=2");
        assertThat(upstreamSaw(response).path("x-principal").get(0).asText()).isEqualTo("alice;");
        assertThat(JSON.readTree(response.body()).path("query").asText()).isEqualTo("a=1&b=2");
    }

    @Test
    void tokenFromACookieIsRemovedFromTheCookieHeader() throws Exception {
        String token = token(KEY, "alice");
        JsonNode headers = upstreamSaw(get("/cookie/x", "Cookie", "theme=dark; id=" + token + "; lang=en"));
        assertThat(headers.path("x-principal").get(0).asText()).isEqualTo("alice;");
        assertThat(headers.path("cookie").get(0).asText()).isEqualTo("theme=dark; lang=en");
    }

    @Test
    void typeAndRequiredClaims() throws Exception {
        JWSHeader atJwt = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").type(new JOSEObjectType("at+jwt")).build();
        upstreamSaw(bearer("/strict/x", token(KEY, atJwt, "a", c -> c.claim("tid", "team-a"))));
        assertRefused(bearer("/strict/x", token(KEY, atJwt, "a", c -> c.claim("tid", "team-b"))), "tid");
        assertRefused(bearer("/strict/x", token(KEY, "a", c -> c.claim("tid", "team-a"))), "typ");
    }

    @Test
    void optionalModeLetsAnonymousThroughButNotBadTokens() throws Exception {
        assertThat(upstreamSaw(get("/optional/x")).path("x-principal").get(0).asText()).isEqualTo("anonymous");
        assertRefused(bearer("/optional/x", token(KEY, "a", c -> c.issuer("https://evil.test"))), "Untrusted issuer");
        assertThat(bearer("/optional/x", "opaque-garbage").statusCode()).isEqualTo(401);
    }

    @Test
    void permissiveModeLetsEverythingThroughAnonymously() throws Exception {
        assertThat(upstreamSaw(bearer("/permissive/x", token(KEY, "a", c -> c.issuer("https://evil.test"))))
                .path("x-principal").get(0).asText()).isEqualTo("anonymous");
        assertThat(upstreamSaw(bearer("/permissive/x", token(KEY, "bob"))).path("x-principal").get(0).asText()).isEqualTo("bob;");
    }

    @Test
    void rotatedKeyIsFetchedOnItsFirstUse() throws Exception {
        upstreamSaw(bearer("/rotating/x", token(KEY, "a")));
        RSAKey next = TestKeys.rsa("key-2-" + UUID.randomUUID());
        ROTATING.set(TestKeys.jwks(KEY, next)); // the identity provider publishes the new key, then signs with it
        upstreamSaw(bearer("/rotating/x", token(next, "a")));
        upstreamSaw(bearer("/rotating/x", token(KEY, "a")));
    }

    @Test
    void floodOfUnknownKeyIdsFetchesAtMostOnce() throws Exception {
        upstreamSaw(bearer("/flood/x", token(KEY, "warm")));
        int before = FLOOD_FETCHES.get();
        RSAKey stranger = TestKeys.rsa("x");
        for (int i = 0; i < 50; i++) {
            RSAKey unknown = new RSAKey.Builder(stranger).keyID("unknown-" + i).build();
            HttpResponse<String> response = bearer("/flood/x", token(unknown, "a"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        }
        // nimbus's limiter grants two fetches per interval; the start-up prefetch spent the first
        assertThat(FLOOD_FETCHES.get() - before).isLessThanOrEqualTo(1);
        upstreamSaw(bearer("/flood/x", token(KEY, "still-fine")));
    }

    @Test
    void lastGoodKeysServeWhileTheJwksEndpointIsDown() throws Exception {
        upstreamSaw(bearer("/required/x", token(KEY, "a")));
        JWKS_DOWN.set(true);
        upstreamSaw(bearer("/required/x", token(KEY, "a")));
    }

    @Test
    void issuerWhoseKeysCannotBeFetchedAnswers503() throws Exception {
        HttpResponse<String> response = bearer("/nokeys/x", token(KEY, "a"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).contains("identity_provider_unavailable").doesNotContain(token(KEY, "a").substring(0, 20));
    }

    @Test
    void aSlowIdentityProviderCostsAtMostTheFetchTimeoutAndAnswers503() throws Exception {
        long before = upstream.receivedCount();
        HttpResponse<String> response = bearer("/slowidp/x", token(KEY, "a"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).contains("identity_provider_unavailable");
        assertThat(upstream.receivedCount()).isEqualTo(before);
    }

    @Test
    void credentialNeverShowsInToString() {
        String token = token(KEY, "a");
        assertThat(dev.agentgateway.core.Credential.bearer(token).toString())
                .doesNotContain(token.substring(0, 10)).doesNotContain(token.split("\\.")[2]);
    }
}
