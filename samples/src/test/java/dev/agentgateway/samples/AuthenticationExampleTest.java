package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;

/** Compiles and runs the authentication example of README.md against mock-oauth2-server. Keep the two in step. */
class AuthenticationExampleTest {

    @Test
    void readmeAuthenticationExampleRuns() throws Exception {
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start(InetAddress.getLoopbackAddress(), 0);
        try (FakeUpstream upstream = FakeUpstream.of(Fakes.echo()).start()) {
            String upstreamUrl = upstream.url();
            String issuerUrl = idp.issuerUrl("acme").toString();
            String ciKey = ApiKeys.generate();
            // --- README example begins ---
            JwtAuth jwt = JwtAuth.builder()
                    .issuer(JwtIssuer.builder(issuerUrl)                  // e.g. https://login.example.com/realms/acme
                            .discovery()                                  // keys via /.well-known/openid-configuration
                            .audience("api://agentgateway")               // tokens for other resources are refused
                            .rolesClaim("realm_access.roles", "scope")    // roles of the Principal
                            .build())
                    .build();
            ApiKeyAuth apiKeys = ApiKeyAuth.builder()                     // Authorization: Bearer or x-api-key
                    .store(InMemoryApiKeyStore.of(ApiKey.builder("ci").key(ciKey).subject("ci").roles("deployer").build()))
                    .build();
            try (Gateway gateway = Gateway.builder().port(0)
                    .route(Route.builder("api").pathPrefix("/api")
                            .policy(Authentication.required(jwt, apiKeys))  // 401 + WWW-Authenticate without a valid one
                            .backend(HttpBackend.of(upstreamUrl)))
                    .start()) {
                // --- README example ends ---
                HttpClient client = HttpClient.newHttpClient();
                URI api = gateway.uri().resolve("/api/x");
                String token = idp.issueToken("acme", "alice", "api://agentgateway", Map.of(), 60).serialize();
                assertThat(send(client, HttpRequest.newBuilder(api).header("Authorization", "Bearer " + token)).statusCode()).isEqualTo(200);
                assertThat(send(client, HttpRequest.newBuilder(api).header("x-api-key", ciKey)).statusCode()).isEqualTo(200);
                HttpResponse<String> refused = send(client, HttpRequest.newBuilder(api));
                assertThat(refused.statusCode()).isEqualTo(401);
                assertThat(refused.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
                assertThat(upstream.receivedCount()).isEqualTo(2);
                assertThat(upstream.requests()).allSatisfy(request -> {
                    assertThat(request.header("authorization")).isNull();
                    assertThat(request.header("x-api-key")).isNull();
                });
            }
        } finally {
            idp.shutdown();
        }
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
