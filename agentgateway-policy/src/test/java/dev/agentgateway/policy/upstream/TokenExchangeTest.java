package dev.agentgateway.policy.upstream;

import static dev.agentgateway.policy.upstream.ClientCredentialsTest.bearerClaims;
import static dev.agentgateway.policy.upstream.LoopbackIdp.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.Credential;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** TokenExchange against mock-oauth2-server in process: callers' tokens for "gateway" exchanged for "upstream-a". */
class TokenExchangeTest {
    @RegisterExtension
    static final LoopbackIdp LOOPBACK = new LoopbackIdp();
    static final MockOAuth2Server IDP = LOOPBACK.server();
    static final String SECRET = "s3cret-value";

    final MutableClock clock = new MutableClock();

    TokenExchange.Builder builder() {
        return TokenExchange.builder().tokenEndpoint(IDP.tokenEndpointUrl("idp").toString())
                .clientSecretBasic("gateway", SECRET).audience("upstream-a").clock(clock);
    }

    static String callerToken(String subject, long lifetimeSeconds) {
        return IDP.issueToken("idp", subject, "gateway", Map.of(), lifetimeSeconds).serialize();
    }

    static Caller caller(String token) {
        return new Caller(null, null, "Bearer " + token);
    }

    @Test
    void theCallersTokenIsExchangedForOneForTheUpstream() throws Exception {
        String alice = callerToken("alice", 3600);

        JWTClaimsSet exchanged = bearerClaims(builder().scopes("tools.read").build().headers(caller(alice)));

        assertThat(exchanged.getAudience()).containsExactly("upstream-a");
        assertThat(exchanged.getSubject()).isEqualTo("alice");
        RecordedRequest request = LOOPBACK.requests().getFirst();
        assertThat(request.getHeader("Authorization")).startsWith("Basic ");
        assertThat(form(request)).contains("grant_type=urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token=" + alice, "subject_token_type=urn:ietf:params:oauth:token-type:access_token",
                "requested_token_type=urn:ietf:params:oauth:token-type:access_token", "audience=upstream-a",
                "scope=tools.read");
    }

    @Test
    void exchangedTokensAreCachedPerSubjectToken() throws Exception {
        TokenExchange exchange = builder().build();
        String alice = callerToken("alice", 3600);
        String bob = callerToken("bob", 3600);

        Map<String, String> forAlice = exchange.headers(caller(alice));
        Map<String, String> forBob = exchange.headers(caller(bob));
        clock.advance(Duration.ofMinutes(30));

        assertThat(exchange.headers(caller(alice))).isEqualTo(forAlice);
        assertThat(exchange.headers(caller(bob))).isEqualTo(forBob);
        assertThat(forBob).isNotEqualTo(forAlice);
        assertThat(bearerClaims(forBob).getSubject()).isEqualTo("bob");
        assertThat(LOOPBACK.requests()).hasSize(2);
        assertThat(exchange.cacheSize()).isEqualTo(2);
    }

    @Test
    void aCallerWithoutABearerTokenIsRefused() {
        TokenExchange exchange = builder().build();

        assertThatThrownBy(() -> exchange.headers(Caller.ANONYMOUS)).isInstanceOf(IOException.class)
                .hasMessageContaining("no caller token to exchange");
        assertThatThrownBy(() -> exchange.headers(new Caller(null, null, "Basic YWxpY2U6cHc=")))
                .isInstanceOf(IOException.class).hasMessageContaining("no caller token to exchange");
        assertThat(LOOPBACK.requests()).isEmpty();
    }

    @Test
    void anExpiredExchangedTokenIsExchangedAgain() throws Exception {
        TokenExchange exchange = builder().build();
        String alice = callerToken("alice", 7200);
        Map<String, String> first = exchange.headers(caller(alice));

        clock.advance(Duration.ofMinutes(61)); // the exchanged token lived 1 hour
        Map<String, String> second = exchange.headers(caller(alice));

        assertThat(second).isNotEqualTo(first);
        assertThat(bearerClaims(second).getSubject()).isEqualTo("alice");
        assertThat(LOOPBACK.requests()).hasSize(2);
    }

    @Test
    void nothingIsServedAfterTheSubjectTokenExpires() throws Exception {
        TokenExchange exchange = builder().build();
        String alice = callerToken("alice", 100); // exchanged for a token of 1 hour
        Map<String, String> first = exchange.headers(caller(alice));

        clock.advance(Duration.ofSeconds(50));
        assertThat(exchange.headers(caller(alice))).isEqualTo(first);
        assertThat(LOOPBACK.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(60)); // past the subject token's exp: exchanged again (the IdP decides)
        exchange.headers(caller(alice));
        assertThat(LOOPBACK.requests()).hasSize(1);
    }

    @Test
    void theCacheIsBounded() throws Exception {
        TokenExchange exchange = builder().maxCacheEntries(2).build();
        String alice = callerToken("alice", 3600);
        exchange.headers(caller(alice));
        exchange.headers(caller(callerToken("bob", 3600)));
        exchange.headers(caller(callerToken("carol", 3600))); // alice, the least recently used, is dropped

        exchange.headers(caller(alice));

        assertThat(exchange.cacheSize()).isEqualTo(2);
        assertThat(LOOPBACK.requests()).hasSize(4);
    }

    @Test
    void theGatewaysOwnTokenIsTheActorToken() throws Exception {
        ClientCredentials gateway = ClientCredentials.builder().tokenEndpoint(IDP.tokenEndpointUrl("idp").toString())
                .clientSecretBasic("gateway", SECRET).clock(clock).build();
        TokenExchange exchange = builder().actor(gateway).resource("https://upstream-a.example/mcp").build();

        assertThat(bearerClaims(exchange.headers(caller(callerToken("alice", 3600)))).getSubject()).isEqualTo("alice");

        List<RecordedRequest> sent = LOOPBACK.requests();
        assertThat(sent).hasSize(2);
        String gatewayToken = gateway.accessToken();
        assertThat(form(sent.get(0))).contains("grant_type=client_credentials");
        assertThat(form(sent.get(1))).contains("actor_token=" + gatewayToken,
                "actor_token_type=urn:ietf:params:oauth:token-type:access_token", "resource=https://upstream-a.example/mcp");
    }

    @Test
    void theTokenAnAuthenticationPolicyAcceptedIsExchanged() throws Exception {
        TokenExchange exchange = TokenExchange.builder().issuer(IDP.issuerUrl("idp").toString())
                .clientSecretPost("gateway", SECRET).audience("upstream-a")
                .subjectTokenType("urn:ietf:params:oauth:token-type:jwt").clock(clock).build();
        String alice = callerToken("alice", 3600);
        // the client's header is gone (the policy removed it); the accepted credential remains
        Caller accepted = new Caller(null, Credential.bearer(alice), null);

        assertThat(bearerClaims(exchange.headers(accepted)).getSubject()).isEqualTo("alice");

        List<RecordedRequest> sent = LOOPBACK.requests();
        assertThat(sent).extracting(RecordedRequest::getPath).containsExactly("/idp/.well-known/openid-configuration", "/idp/token");
        assertThat(form(sent.get(1))).contains("subject_token=" + alice,
                "subject_token_type=urn:ietf:params:oauth:token-type:jwt", "client_id=gateway");
    }

    @Test
    void theBuilderNeedsAnAudienceOrResource() {
        assertThatThrownBy(() -> TokenExchange.builder().tokenEndpoint("https://idp.example/token")
                .clientSecretBasic("gateway", SECRET).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience or a resource");
        assertThatThrownBy(() -> builder().maxCacheEntries(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().subjectTokenType("not a uri")).isInstanceOf(IllegalArgumentException.class);
        assertThat(builder().subjectTokenType("urn:ietf:params:oauth:token-type:jwt").build().toString())
                .contains("upstream-a").doesNotContain(SECRET);
    }
}
