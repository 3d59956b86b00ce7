package dev.agentgateway.policy.auth;

import static dev.agentgateway.policy.auth.AuthTestSupport.forwarded;
import static dev.agentgateway.policy.auth.AuthTestSupport.get;
import static dev.agentgateway.policy.auth.AuthTestSupport.whoAmI;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Credential;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** API keys end to end: where they are found, what the upstream sees, refusals and run-time changes. */
class ApiKeyAuthTest {
    private static final String ALICE_KEY = ApiKeys.generate();
    private static final String OLD_KEY = ApiKeys.generate();
    private static final InMemoryApiKeyStore KEYS = InMemoryApiKeyStore.of(
            ApiKey.builder("alice-laptop").key(ALICE_KEY).subject("alice").roles("user", "admin")
                    .metadata("team", "platform").build(),
            ApiKey.builder("old").key(OLD_KEY).expiresAt(Instant.parse("2020-01-01T00:00:00Z")).build());

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(route("/keys", Authentication.required(apiKeys().header("x-custom-key").build())))
            .route(route("/pass", Authentication.builder().authenticator(apiKeys().build()).passthrough(true).build()))
            .route(route("/optional", Authentication.builder().authenticator(apiKeys().build()).mode(AuthMode.OPTIONAL).build()))
            .route(route("/permissive", Authentication.builder().authenticator(apiKeys().build()).mode(AuthMode.PERMISSIVE).build()))
            .route(route("/own-header", Authentication.required(
                    apiKeys().locations(CredentialLocation.header("x-gateway-key")).realm("models").build())))
            .route(route("/with-jwt", Authentication.required(apiKeys().build(), new JwsShapedStub()))));

    private static ApiKeyAuth.Builder apiKeys() {
        return ApiKeyAuth.builder().store(KEYS);
    }

    private static Route route(String prefix, Authentication auth) {
        return Route.builder(prefix.substring(1)).pathPrefix(prefix).policy(auth).policy(whoAmI())
                .backend(HttpBackend.of(upstream.url())).build();
    }

    @Test
    void acceptsTheKeyAsBearerTokenAndRemovesIt() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "Authorization", "Bearer " + ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "authorization")).isEmpty();
        assertThat(forwarded(response, "x-principal"))
                .containsExactly("api-key:alice roles=[admin, user] claims={key_name=alice-laptop, team=platform}");
    }

    @Test
    void acceptsTheKeyInXApiKeyAndRemovesIt() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "x-api-key", ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "x-api-key")).isEmpty();
    }

    @Test
    void acceptsTheKeyInAConfiguredHeader() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "X-Custom-Key", ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "x-custom-key")).isEmpty();
    }

    @Test
    void passthroughKeepsTheKeyOnTheForwardedRequest() throws Exception {
        HttpResponse<String> response = get(gateway, "/pass", "x-api-key", ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "x-api-key")).containsExactly(ALICE_KEY);
    }

    @Test
    void refusesAnUnknownKeyWithABearerChallenge() throws Exception {
        long before = upstream.receivedCount();
        HttpResponse<String> response = get(gateway, "/keys", "x-api-key", ApiKeys.generate());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(
                "Bearer realm=\"agentgateway\", error=\"invalid_token\", error_description=\"Unknown API key\"");
        assertThat(upstream.receivedCount()).isEqualTo(before);
    }

    @Test
    void refusesAnExpiredKey() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "Authorization", "Bearer " + OLD_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("error_description=\"API key expired\""));
    }

    @Test
    void asksForCredentialsWhenThereAreNone() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"agentgateway\"");
    }

    @Test
    void keysAreAddedAndRevokedWithoutARestart() throws Exception {
        String key = ApiKeys.generate();
        assertThat(get(gateway, "/keys", "x-api-key", key).statusCode()).isEqualTo(401);

        KEYS.add(ApiKey.builder("temporary").key(key).build());
        assertThat(get(gateway, "/keys", "x-api-key", key).statusCode()).isEqualTo(200);

        assertThat(KEYS.revoke("temporary")).isTrue();
        assertThat(get(gateway, "/keys", "x-api-key", key).statusCode()).isEqualTo(401);
        assertThat(KEYS.revoke("temporary")).isFalse();
    }

    @Test
    void refusesTwoXApiKeyHeadersAsAmbiguous() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "x-api-key", ALICE_KEY, "x-api-key", ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).contains("error=\"invalid_request\""));
    }

    @Test
    void refusesAKeyInTwoPlacesBecauseOneCopyWouldBeForwarded() throws Exception {
        HttpResponse<String> response = get(gateway, "/keys", "Authorization", "Bearer " + ALICE_KEY, "x-api-key", ALICE_KEY);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void optionalModeLetsAnonymousCallersThroughButNotBadKeys() throws Exception {
        HttpResponse<String> anonymous = get(gateway, "/optional");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(forwarded(anonymous, "x-principal")).containsExactly("anonymous");

        assertThat(get(gateway, "/optional", "x-api-key", "not-a-key").statusCode()).isEqualTo(401);
    }

    @Test
    void permissiveModeLetsABadKeyThrough() throws Exception {
        HttpResponse<String> response = get(gateway, "/permissive", "x-api-key", "not-a-key");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(forwarded(response, "x-principal")).containsExactly("anonymous");
    }

    @Test
    void onlyTheConfiguredLocationIsUsedWhenLocationsAreReplaced() throws Exception {
        assertThat(get(gateway, "/own-header", "x-gateway-key", ALICE_KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> response = get(gateway, "/own-header", "x-api-key", ALICE_KEY);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().allValues("WWW-Authenticate"))
                .containsExactly("ApiKey realm=\"models\", header=\"x-gateway-key\"");
    }

    @Test
    void aJwsShapedBearerTokenIsLeftToTheJwtAuthenticator() throws Exception {
        HttpResponse<String> jwt = get(gateway, "/with-jwt", "Authorization", "Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl");
        assertThat(jwt.statusCode()).isEqualTo(200);
        assertThat(forwarded(jwt, "x-principal").getFirst()).startsWith("jwt:someone");

        HttpResponse<String> key = get(gateway, "/with-jwt", "Authorization", "Bearer " + ALICE_KEY);
        assertThat(key.statusCode()).isEqualTo(200);
        assertThat(forwarded(key, "x-principal").getFirst()).startsWith("api-key:alice");
    }

    @Test
    void jwsShapeIsThreeBase64UrlParts() {
        assertThat(JwtAuth.jwsShaped("eyJh.eyJz.sig")).isTrue();
        assertThat(JwtAuth.jwsShaped("eyJh.eyJz.")).isTrue();
        assertThat(JwtAuth.jwsShaped("agw_abc")).isFalse();
        assertThat(JwtAuth.jwsShaped("a.b")).isFalse();
        assertThat(JwtAuth.jwsShaped("a.b.c.d")).isFalse();
        assertThat(JwtAuth.jwsShaped(".b.c")).isFalse();
        assertThat(JwtAuth.jwsShaped("a.b+.c")).isFalse();
    }

    @Test
    void noKeyReachesALogLineOrAMetricTag() throws Exception {
        String unknown = ApiKeys.generate();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err; // slf4j-simple writes to whatever System.err is at the time
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            get(gateway, "/permissive", "x-api-key", unknown);
            get(gateway, "/permissive", "x-api-key", OLD_KEY);
            get(gateway, "/keys", "Authorization", "Bearer " + unknown);
            get(gateway, "/keys", "x-api-key", ALICE_KEY);
        } finally {
            System.setErr(original);
        }

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("Unknown API key"); // the permissive warning was captured
        for (String key : List.of(unknown, OLD_KEY, ALICE_KEY)) {
            assertThat(logs).doesNotContain(key).doesNotContain(ApiKeys.sha256Hex(key));
            assertThat(gateway.meterRegistry().getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                    .noneMatch(tag -> tag.getValue().contains(key)));
        }
        assertThat(gateway.meterRegistry().find("agentgateway.auth.requests").tag("scheme", "api-key").counters()).isNotEmpty();
    }

    /** Stands in for JwtAuth: accepts any JWS-shaped Bearer value, is absent for anything else. */
    private static final class JwsShapedStub implements Authenticator {
        private static final CredentialLocation BEARER = CredentialLocation.authorization("Bearer");

        @Override
        public String scheme() {
            return "jwt";
        }

        @Override
        public AuthResult authenticate(Exchange exchange) {
            var values = BEARER.find(exchange);
            return values.size() == 1 && JwtAuth.jwsShaped(values.getFirst())
                    ? AuthResult.authenticated(Principal.of("someone", "jwt"), Credential.bearer(values.getFirst()), BEARER)
                    : AuthResult.absent();
        }

        @Override
        public String challenge(AuthResult.Rejected rejection) {
            return "Bearer realm=\"jwt\"";
        }
    }
}
