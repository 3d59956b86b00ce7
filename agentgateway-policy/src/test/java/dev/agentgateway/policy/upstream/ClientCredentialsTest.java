package dev.agentgateway.policy.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.agentgateway.core.Caller;
import dev.agentgateway.policy.upstream.StubTokenServer.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ClientCredentials against mock-oauth2-server in process, and a stub for the answers it does not give. */
class ClientCredentialsTest {
    @RegisterExtension
    static final LoopbackIdp LOOPBACK = new LoopbackIdp();
    static final MockOAuth2Server IDP = LOOPBACK.server();
    static final String SECRET = "s3cret-value";

    final MutableClock clock = new MutableClock();

    static JWTClaimsSet bearerClaims(Map<String, String> headers) throws Exception {
        String authorization = headers.get("Authorization");
        assertThat(authorization).startsWith("Bearer ");
        return SignedJWT.parse(authorization.substring(7)).getJWTClaimsSet();
    }

    ClientCredentials.Builder builder(StubTokenServer stub) {
        return ClientCredentials.builder().tokenEndpoint(stub.url("/token")).clientSecretBasic("gateway", SECRET).clock(clock);
    }

    static StubTokenServer answering(int status, String json) {
        return StubTokenServer.answering(Map.of("/token", new Answer(status, json)));
    }

    ClientCredentials.Builder builder(MockOAuth2Server server, String issuerId) {
        return ClientCredentials.builder().tokenEndpoint(server.tokenEndpointUrl(issuerId).toString())
                .clientSecretBasic("gateway", SECRET).clock(clock);
    }

    @Test
    void fetchesATokenAndSendsItAsBearer() throws Exception {
        ClientCredentials credentials = builder(IDP, "cc").scopes("upstream-api").build();

        JWTClaimsSet claims = bearerClaims(credentials.headers(Caller.ANONYMOUS));

        assertThat(claims.getSubject()).isEqualTo("gateway"); // the client itself
        assertThat(claims.getAudience()).containsExactly("upstream-api");
        assertThat(claims.getIssuer()).isEqualTo(IDP.issuerUrl("cc").toString());
        assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now());
        RecordedRequest request = LOOPBACK.requests().getFirst();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeader("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString(("gateway:" + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(LoopbackIdp.form(request)).contains("grant_type=client_credentials", "scope=upstream-api").doesNotContain(SECRET);
    }

    @Test
    void theTokenIsCached() throws Exception {
        ClientCredentials credentials = builder(IDP, "cc").build();
        Map<String, String> first = credentials.headers(Caller.ANONYMOUS);
        clock.advance(Duration.ofMinutes(10));

        assertThat(credentials.headers(Caller.ANONYMOUS)).isEqualTo(first);
        assertThat(LOOPBACK.requests()).hasSize(1);
    }

    @Test
    void theTokenIsRefreshedBeforeItExpires() throws Exception {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("cc", "gateway", "JWT", List.of("upstream"), Map.of(), 120));
        ClientCredentials credentials = builder(IDP, "cc").build();
        Map<String, String> first = credentials.headers(Caller.ANONYMOUS);

        // a 120 s lifetime (expires_in may say 119): refreshed when less than 30 s remain
        clock.advance(Duration.ofSeconds(85));
        assertThat(credentials.headers(Caller.ANONYMOUS)).isEqualTo(first);
        assertThat(LOOPBACK.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(6));
        Map<String, String> second = credentials.headers(Caller.ANONYMOUS);
        assertThat(second).isNotEqualTo(first);
        assertThat(LOOPBACK.requests()).hasSize(1);
        assertThat(bearerClaims(second).getExpirationTime().toInstant()).isAfter(Instant.now().plusSeconds(3000));
    }

    @Test
    void concurrentCallersCauseOneFetch() throws Exception {
        ClientCredentials credentials = builder(IDP, "cc").build();
        CountDownLatch start = new CountDownLatch(1);
        Set<String> tokens = ConcurrentHashMap.newKeySet();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(threads.submit(() -> {
                    start.await();
                    return tokens.add(credentials.headers(Caller.ANONYMOUS).get("Authorization"));
                }));
            }
            start.countDown();
            for (Future<?> call : calls) {
                call.get();
            }
        }
        assertThat(tokens).hasSize(1);
        assertThat(LOOPBACK.requests()).hasSize(1);
    }

    @Test
    void clientSecretPostSendsTheCredentialsInTheForm() throws Exception {
        ClientCredentials credentials = ClientCredentials.builder().tokenEndpoint(IDP.tokenEndpointUrl("cc").toString())
                .clientSecretPost("gateway", SECRET).resource("https://upstream.example/mcp").audience("upstream-api")
                .clock(clock).build();

        assertThat(bearerClaims(credentials.headers(Caller.ANONYMOUS)).getSubject()).isEqualTo("gateway");

        RecordedRequest request = LOOPBACK.requests().getFirst();
        assertThat(request.getHeader("Authorization")).isNull();
        assertThat(LoopbackIdp.form(request)).contains("client_id=gateway", "client_secret=" + SECRET,
                "resource=https://upstream.example/mcp", "audience=upstream-api");
    }

    @Test
    void theTokenEndpointIsDiscoveredFromTheIssuerOnFirstUse() throws Exception {
        ClientCredentials credentials = ClientCredentials.builder().issuer(IDP.issuerUrl("disco").toString())
                .clientSecretBasic("gateway", SECRET).clock(clock).build();
        assertThat(LOOPBACK.requests()).isEmpty(); // nothing before the first upstream request

        assertThat(bearerClaims(credentials.headers(Caller.ANONYMOUS)).getIssuer()).isEqualTo(IDP.issuerUrl("disco").toString());
        clock.advance(Duration.ofHours(2));
        credentials.headers(Caller.ANONYMOUS);

        assertThat(LOOPBACK.requests()).extracting(r -> r.getMethod() + " " + r.getPath()).containsExactly(
                "GET /disco/.well-known/openid-configuration", "POST /disco/token", "POST /disco/token");
    }

    @Test
    void discoveryFallsBackToAuthorizationServerMetadata() throws Exception {
        Map<String, Answer> answers = new ConcurrentHashMap<>();
        try (StubTokenServer stub = StubTokenServer.answering(answers)) {
            answers.put("/.well-known/oauth-authorization-server", new Answer(200, "{\"issuer\":\"" + stub.url("")
                    + "\",\"token_endpoint\":\"" + IDP.tokenEndpointUrl("rfc8414") + "\"}"));
            ClientCredentials credentials = ClientCredentials.builder().issuer(stub.url(""))
                    .clientSecretBasic("gateway", SECRET).clock(clock).build();

            assertThat(bearerClaims(credentials.headers(Caller.ANONYMOUS)).getIssuer())
                    .isEqualTo(IDP.issuerUrl("rfc8414").toString());
            assertThat(stub.hits()).isEqualTo(2); // openid-configuration (404), then oauth-authorization-server
        }
    }

    @Test
    void discoveryFailsClearlyWhileTheIssuerIsDown() throws Exception {
        String issuer = "http://127.0.0.1:" + StubTokenServer.closedPort() + "/realms/agents";
        ClientCredentials credentials = ClientCredentials.builder().issuer(issuer).clientSecretBasic("gateway", SECRET).build();

        assertThatThrownBy(() -> credentials.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                .hasMessageContaining("Cannot discover the token endpoint of " + issuer);
    }

    @Test
    void aValidTokenKeepsBeingServedWhileTheIdpIsDown() throws Exception {
        MockOAuth2Server idp = LoopbackIdp.start();
        ClientCredentials credentials = builder(idp, "cc").build();
        Map<String, String> first = credentials.headers(Caller.ANONYMOUS);
        idp.shutdown();

        clock.advance(Duration.ofMinutes(58)); // in the refresh window (the token lives 1 hour): the refresh fails
        assertThat(credentials.headers(Caller.ANONYMOUS)).isEqualTo(first);
        clock.advance(Duration.ofSeconds(30));
        assertThat(credentials.headers(Caller.ANONYMOUS)).isEqualTo(first);

        clock.advance(Duration.ofMinutes(2)); // expired
        assertThatThrownBy(() -> credentials.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                .hasMessageContaining(idp.tokenEndpointUrl("cc") + " did not answer").message().doesNotContain(SECRET);
    }

    @Test
    void withoutATokenAnUnreachableIdpFailsClearly() throws Exception {
        String endpoint = "http://127.0.0.1:" + StubTokenServer.closedPort() + "/token";
        ClientCredentials credentials = ClientCredentials.builder().tokenEndpoint(endpoint).clientSecretBasic("gateway", SECRET).build();

        assertThatThrownBy(() -> credentials.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                .hasMessageContaining(endpoint + " did not answer").message().doesNotContain(SECRET);
    }

    /** A token endpoint answering {@code status} and {@code json} fails the credentials with {@code message}. */
    void assertAnswerFails(int status, String json, String message) {
        try (StubTokenServer stub = answering(status, json)) {
            ClientCredentials credentials = builder(stub).build();

            assertThatThrownBy(() -> credentials.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                    .hasMessageContaining(message).message().doesNotContain(SECRET);
        }
    }

    @Test
    void anOAuthErrorIsNamed() {
        assertAnswerFails(401, "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed\"}",
                "refused the client credentials request: invalid_client (Client authentication failed), HTTP 401");
    }

    @Test
    void aServerErrorIsNamed() {
        assertAnswerFails(500, "{}", "refused the client credentials request: HTTP 500");
    }

    @Test
    void aSlowIdpCostsAtMostTheFetchTimeout() throws Exception {
        try (StubTokenServer stub = StubTokenServer.silent()) {
            ClientCredentials credentials = builder(stub).fetchTimeout(Duration.ofMillis(300)).build();
            long start = System.nanoTime();

            assertThatThrownBy(() -> credentials.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer").hasMessageContaining("timed out");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20)); // the stub holds 30 s
        }
    }

    @Test
    void callersWaitingForAFetchThatFailsShareItsFailure() throws Exception {
        try (StubTokenServer stub = StubTokenServer.silent()) {
            ClientCredentials credentials = builder(stub).fetchTimeout(Duration.ofSeconds(2)).build();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> calls = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 8; i++) {
                    calls.add(threads.submit(() -> {
                        start.await();
                        try {
                            return credentials.headers(Caller.ANONYMOUS).toString();
                        } catch (IOException e) {
                            return e.getMessage();
                        }
                    }));
                }
                start.countDown();
            }
            for (Future<String> call : calls) {
                assertThat(call.get()).contains("did not answer");
            }
            // waiters reuse the one failure instead of each waiting a timeout of their own (all of
            // them queue up well within the 2 s the fetch takes)
            assertThat(stub.hits()).isEqualTo(1);
        }
    }

    @Test
    void aDpopTokenIsRefused() {
        assertAnswerFails(200, "{\"access_token\":\"abc\",\"token_type\":\"DPoP\",\"expires_in\":60}",
                "issued a token of type DPoP");
    }

    @Test
    void aTokenWithoutExpiresInIsCachedForTheDefaultLifetime() throws Exception {
        try (StubTokenServer stub = answering(200, "{\"access_token\":\"opaque-token\",\"token_type\":\"Bearer\"}")) {
            ClientCredentials credentials = builder(stub).build();

            assertThat(credentials.headers(Caller.ANONYMOUS)).containsEntry("Authorization", "Bearer opaque-token");
            clock.advance(Duration.ofSeconds(269)); // 5 minutes, refreshed 30 s before
            credentials.headers(Caller.ANONYMOUS);
            assertThat(stub.hits()).isEqualTo(1);
            clock.advance(Duration.ofSeconds(2));
            credentials.headers(Caller.ANONYMOUS);
            assertThat(stub.hits()).isEqualTo(2);
        }
    }

    @Test
    void theBuilderRefusesIncompleteConfiguration() {
        assertThatThrownBy(() -> ClientCredentials.builder().clientSecretBasic("gateway", SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenEndpoint and issuer");
        assertThatThrownBy(() -> ClientCredentials.builder().tokenEndpoint("https://idp.example/token").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientSecretBasic or clientSecretPost");
        assertThatThrownBy(() -> ClientCredentials.builder().fetchTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fetchTimeout must be positive: PT0S");
        assertThatThrownBy(() -> ClientCredentials.builder().tokenEndpoint("/token")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientCredentials.builder().resource("https://a.example/#x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ClientCredentials.builder().tokenEndpoint("https://idp.example/token").clientSecretPost("gateway", SECRET)
                .build().toString()).contains("https://idp.example/token").doesNotContain(SECRET);
    }
}
