package dev.agentgateway.policy.auth;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JwtAuth against a real authorization server, mock-oauth2-server in process: one issuer found by
 * OIDC discovery, one by its JWKS URL, on the same policy; tokens from its token endpoint
 * (client credentials) and minted directly.
 */
class JwtAuthOidcTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AUDIENCE = "api://agentgateway";
    private static final MockOAuth2Server IDP = startedIdp();

    private static MockOAuth2Server startedIdp() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    static final Policy SHOW_PRINCIPAL = (exchange, next) -> {
        Principal principal = exchange.principal();
        exchange.requestHeaders().put("x-principal", principal.subject() + ";" + principal.claims().get("iss"));
        return next.proceed(exchange);
    };

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("api").pathPrefix("/api")
            .policy(Authentication.required(JwtAuth.builder()
                    .issuer(JwtIssuer.builder(IDP.issuerUrl("tenant-a").toString()).discovery().audience(AUDIENCE).build())
                    .issuer(JwtIssuer.builder(IDP.issuerUrl("tenant-b").toString())
                            .jwksUri(IDP.jwksUrl("tenant-b").toString()).audience(AUDIENCE).build())
                    .build()))
            .policy(SHOW_PRINCIPAL)
            .backend(HttpBackend.of(upstream.url())).build()));

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    HttpResponse<String> call(String token) throws Exception {
        return gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/api/tools"))
                .header("Authorization", "Bearer " + token).build(), ofString());
    }

    String principalSeenUpstream(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("headers").path("x-principal").get(0).asText();
    }

    @Test
    void tokensOfBothIssuersAreAccepted() throws Exception {
        String a = IDP.issueToken("tenant-a", "alice", AUDIENCE, Map.of(), 60).serialize();
        String b = IDP.issueToken("tenant-b", "bob", AUDIENCE, Map.of(), 60).serialize();
        assertThat(principalSeenUpstream(call(a))).isEqualTo("alice;" + IDP.issuerUrl("tenant-a"));
        assertThat(principalSeenUpstream(call(b))).isEqualTo("bob;" + IDP.issuerUrl("tenant-b"));
    }

    @Test
    void tokenFromTheTokenEndpointIsAccepted() throws Exception {
        IDP.enqueueCallback(new DefaultOAuth2TokenCallback("tenant-a", "service-1", "JWT", List.of(AUDIENCE), Map.of(), 60));
        HttpResponse<String> tokenResponse = gateway.httpClient().send(HttpRequest.newBuilder(
                        URI.create(IDP.tokenEndpointUrl("tenant-a").toString()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=service-1"
                        + "&client_secret=secret&scope=tools"))
                .build(), ofString());
        JsonNode token = JSON.readTree(tokenResponse.body());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(principalSeenUpstream(call(token.path("access_token").asText())))
                .startsWith("service-1;");
    }

    @Test
    void tokensOfOtherIssuersAndAudiencesAreRefused() throws Exception {
        String otherIssuer = IDP.issueToken("tenant-c", "mallory", AUDIENCE, Map.of(), 60).serialize();
        HttpResponse<String> response = call(otherIssuer);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Untrusted issuer");

        String otherAudience = IDP.issueToken("tenant-a", "alice", "api://someone-else", Map.of(), 60).serialize();
        response = call(otherAudience);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().contains("invalid_token");
    }

    @Test
    void anotherIssuersKeyCannotSignForThisIssuer() throws Exception {
        // mock-oauth2-server signs each issuer with its own key: a tenant-c token re-labelled as
        // tenant-a keeps tenant-c's signature, which tenant-a's keys do not verify
        String forged = IDP.issueToken("tenant-c", "mallory", AUDIENCE,
                Map.of("iss", IDP.issuerUrl("tenant-a").toString()), 60).serialize();
        assertThat(com.nimbusds.jwt.SignedJWT.parse(forged).getJWTClaimsSet().getIssuer())
                .isEqualTo(IDP.issuerUrl("tenant-a").toString());
        HttpResponse<String> response = call(forged);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("Invalid token").doesNotContain("Untrusted issuer");
    }
}
