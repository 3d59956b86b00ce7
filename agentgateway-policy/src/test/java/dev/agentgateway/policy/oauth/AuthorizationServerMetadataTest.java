package dev.agentgateway.policy.oauth;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RFC 8414 metadata served by the gateway from an identity provider's OIDC discovery document. */
class AuthorizationServerMetadataTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final MockOAuth2Server IDP = ProtectedResourceTest.started();
    static final AtomicBoolean DOWN = new AtomicBoolean();

    @RegisterExtension
    static final FakeUpstream flaky = FakeUpstream.builder().handler("/flaky/.well-known/openid-configuration", (request, response) -> {
        if (DOWN.get()) {
            response.status(503).write("down");
        } else {
            response.status(200).header("Content-Type", "application/json")
                    .write("{\"issuer\":\"x\",\"token_endpoint\":\"https://idp.example/token\"}");
        }
    }).build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(AuthorizationServerMetadata.builder(IDP.issuerUrl("idp").toString()).codeChallengeMethods("S256").build().route()));

    @RegisterExtension
    static final GatewayExtension flakyGateway = GatewayExtension.of(g -> g
            .route(AuthorizationServerMetadata.builder(flaky.url() + "/flaky").cacheTtl(Duration.ZERO).build().route())
            .route(Route.builder("never").path("/never" + AuthorizationServerMetadata.WELL_KNOWN)
                    .backend(AuthorizationServerMetadata.builder("http://127.0.0.1:1/none").fetchTimeout(Duration.ofMillis(500)).build())));

    @AfterAll
    static void stopIdp() {
        IDP.shutdown();
    }

    static HttpResponse<String> get(GatewayExtension gateway, String path) throws Exception {
        return gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri(path)).build(), ofString());
    }

    @Test
    void servesTheProvidersEndpointsWithTheGatewayAsIssuer() throws Exception {
        HttpResponse<String> response = get(gateway, AuthorizationServerMetadata.WELL_KNOWN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode metadata = JSON.readTree(response.body());
        String root = gateway.uri("/").toString();
        assertThat(metadata.path("issuer").asText()).isEqualTo(root.substring(0, root.length() - 1));
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo(IDP.tokenEndpointUrl("idp").toString());
        assertThat(metadata.path("authorization_endpoint").asText()).isEqualTo(IDP.authorizationEndpointUrl("idp").toString());
        assertThat(JSON.convertValue(metadata.path("code_challenge_methods_supported"), List.class)).contains("S256");
    }

    @Test
    void keepsServingTheLastGoodDocumentWhileTheProviderIsDown() throws Exception {
        DOWN.set(false);
        assertThat(get(flakyGateway, AuthorizationServerMetadata.WELL_KNOWN).statusCode()).isEqualTo(200);
        DOWN.set(true);
        try {
            HttpResponse<String> stale = get(flakyGateway, AuthorizationServerMetadata.WELL_KNOWN);

            assertThat(stale.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(stale.body()).path("token_endpoint").asText()).isEqualTo("https://idp.example/token");
        } finally {
            DOWN.set(false);
        }
    }

    @Test
    void answers502WhenTheProviderWasNeverReached() throws Exception {
        assertThat(get(flakyGateway, "/never" + AuthorizationServerMetadata.WELL_KNOWN).statusCode()).isEqualTo(502);
    }
}
