package dev.agentgateway.policy.oauth;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Provider adapters (Keycloak, Auth0) and the gateway's RFC 7591 registration endpoint, pre-registered and proxied. */
class ClientRegistrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String VALID = "{\"client_name\":\"MCP Inspector\",\"redirect_uris\":[\"http://localhost:6274/oauth/callback\"],"
            + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
            + "\"token_endpoint_auth_method\":\"none\"}";

    @RegisterExtension
    static final FakeUpstream idp = FakeUpstream.builder()
            .handler("/realms/agents/.well-known/openid-configuration", (request, response) -> response.status(200)
                    .header("Content-Type", "application/json").write(keycloakDiscovery()))
            .handler("/realms/agents/clients-registrations/openid-connect", (request, response) -> response.status(201)
                    .header("Content-Type", "application/json")
                    .write("{\"client_id\":\"kc-generated-1\",\"registration_access_token\":\"rat\",\"redirect_uris\":"
                            + JSON.readTree(request.bodyText()).get("redirect_uris") + "}"))
            .handler("/down/.well-known/openid-configuration", (request, response) -> response.status(200)
                    .header("Content-Type", "application/json")
                    .write("{\"issuer\":\"x\",\"token_endpoint\":\"http://127.0.0.1:1/token\","
                            + "\"registration_endpoint\":\"http://127.0.0.1:1/register\"}"))
            .handler("/slow/.well-known/openid-configuration", (request, response) -> response.status(200)
                    .header("Content-Type", "application/json")
                    .write("{\"issuer\":\"x\",\"token_endpoint\":\"https://x/token\",\"registration_endpoint\":\""
                            + idpUrl() + "/slow/register\"}"))
            .handler("/slow/register", (request, response) -> {
                Thread.sleep(3000);
                response.status(201).write("{}");
            })
            .handler("/.well-known/openid-configuration", (request, response) -> response.status(200)
                    .header("Content-Type", "application/json").write(auth0Discovery()))
            .build();

    @RegisterExtension
    static final GatewayExtension keycloak = GatewayExtension.of(g -> g
            .routes(AuthorizationServerMetadata.keycloak(idp.url() + "/", "agents").build().routes()));

    @RegisterExtension
    static final GatewayExtension auth0 = GatewayExtension.of(g -> g
            .routes(AuthorizationServerMetadata.auth0(idp.url()).audience("https://gw.example/mcp")
                    .clientRegistration(ClientRegistration.preRegistered("auth0-native-client")
                            .allowRedirectUri("https://vscode.dev/redirect").maxBodySize(2048).build())
                    .build().routes()));

    @RegisterExtension
    static final GatewayExtension broken = GatewayExtension.of(g -> g
            .routes(AuthorizationServerMetadata.builder(idp.url() + "/down")
                    .clientRegistration(ClientRegistration.proxy().path("/down/register").build()).build().routes())
            .routes(AuthorizationServerMetadata.builder(idp.url() + "/slow")
                    .clientRegistration(ClientRegistration.proxy().path("/slow/register").timeout(Duration.ofMillis(300)).build())
                    .build().routes().subList(1, 2)));

    static final MockOAuth2Server MOCK = ProtectedResourceTest.started();

    @RegisterExtension
    static final GatewayExtension generic = GatewayExtension.of(g -> g
            .routes(AuthorizationServerMetadata.builder(MOCK.issuerUrl("idp").toString()).codeChallengeMethods("S256")
                    .audience("api://tools").clientRegistration(ClientRegistration.preRegistered("mcp-public").build())
                    .build().routes()));

    @AfterAll
    static void stopMock() {
        MOCK.shutdown();
    }

    static String idpUrl() {
        return idp.url();
    }

    static String keycloakDiscovery() {
        String issuer = idp.url() + "/realms/agents";
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\","
                + "\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\","
                + "\"jwks_uri\":\"" + issuer + "/protocol/openid-connect/certs\","
                + "\"registration_endpoint\":\"" + issuer + "/clients-registrations/openid-connect\","
                + "\"grant_types_supported\":[\"authorization_code\",\"refresh_token\",\"client_credentials\"],"
                + "\"response_types_supported\":[\"code\",\"none\",\"id_token\"],"
                + "\"token_endpoint_auth_methods_supported\":[\"private_key_jwt\",\"client_secret_basic\",\"none\"],"
                + "\"scopes_supported\":[\"openid\",\"profile\",\"email\",\"offline_access\"]}";
    }

    static String auth0Discovery() {
        String issuer = idp.url() + "/";
        return "{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "authorize\","
                + "\"token_endpoint\":\"" + issuer + "oauth/token\",\"device_authorization_endpoint\":\"" + issuer
                + "oauth/device/code\",\"userinfo_endpoint\":\"" + issuer + "userinfo\",\"jwks_uri\":\"" + issuer
                + ".well-known/jwks.json\",\"registration_endpoint\":\"" + issuer + "oidc/register\","
                + "\"client_id_metadata_document_supported\":false,"
                + "\"code_challenge_methods_supported\":[\"S256\",\"plain\"],"
                + "\"response_types_supported\":[\"code\",\"token\",\"id_token\"]}";
    }

    static HttpResponse<String> send(GatewayExtension gateway, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).header("Origin", "https://app.example")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return gateway.httpClient().send(request.build(), ofString());
    }

    static String origin(GatewayExtension gateway) {
        String root = gateway.uri("/").toString();
        return root.substring(0, root.length() - 1);
    }

    @Test
    void keycloakMetadataNamesTheGatewayAndS256AndTheProxiedRegistrationEndpoint() throws Exception {
        HttpResponse<String> response = send(keycloak, "GET", AuthorizationServerMetadata.WELL_KNOWN, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode metadata = JSON.readTree(response.body());
        assertThat(metadata.path("issuer").asText()).isEqualTo(origin(keycloak));
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo(idp.url() + "/realms/agents/protocol/openid-connect/token");
        assertThat(JSON.convertValue(metadata.path("code_challenge_methods_supported"), List.class)).containsExactly("S256");
        assertThat(metadata.path("registration_endpoint").asText()).isEqualTo(origin(keycloak) + "/oauth/register");
    }

    @Test
    void auth0MetadataAppendsTheAudienceAndPassesTheRestThrough() throws Exception {
        JsonNode metadata = JSON.readTree(send(auth0, "GET", AuthorizationServerMetadata.WELL_KNOWN, null).body());

        assertThat(metadata.path("issuer").asText()).isEqualTo(origin(auth0));
        assertThat(metadata.path("authorization_endpoint").asText())
                .isEqualTo(idp.url() + "/authorize?audience=https%3A%2F%2Fgw.example%2Fmcp");
        assertThat(metadata.path("registration_endpoint").asText()).isEqualTo(origin(auth0) + "/oauth/register");
        assertThat(metadata.path("client_id_metadata_document_supported").asBoolean(true)).isFalse();
        assertThat(JSON.convertValue(metadata.path("code_challenge_methods_supported"), List.class)).containsExactly("S256", "plain");
    }

    @Test
    void genericProviderMetadataFromARealServerAdvertisesTheGatewaysRegistration() throws Exception {
        JsonNode metadata = JSON.readTree(send(generic, "GET", AuthorizationServerMetadata.WELL_KNOWN, null).body());

        assertThat(metadata.path("issuer").asText()).isEqualTo(origin(generic));
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo(MOCK.tokenEndpointUrl("idp").toString());
        assertThat(metadata.path("authorization_endpoint").asText())
                .isEqualTo(MOCK.authorizationEndpointUrl("idp") + "?audience=api%3A%2F%2Ftools");
        assertThat(metadata.path("registration_endpoint").asText()).isEqualTo(origin(generic) + "/oauth/register");
        assertThat(JSON.convertValue(metadata.path("code_challenge_methods_supported"), List.class)).contains("S256");
        assertThat(JSON.readTree(send(generic, "POST", "/oauth/register", VALID).body()).path("client_id").asText())
                .isEqualTo("mcp-public");
    }

    @Test
    void audienceIsAppendedToAnExistingQueryAndReplacesAnOldOne() {
        assertThat(AuthorizationServerMetadata.withQueryParameter("https://a.example/authorize?x=1&audience=old", "audience", "api"))
                .isEqualTo("https://a.example/authorize?x=1&audience=api");
        assertThat(AuthorizationServerMetadata.withQueryParameter("https://a.example/authorize?", "audience", "a b"))
                .isEqualTo("https://a.example/authorize?audience=a+b");
        assertThatThrownBy(() -> AuthorizationServerMetadata.auth0("t.auth0.com").build()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void preRegisteredAnswersAValidRegistrationWithTheFixedClientId() throws Exception {
        HttpResponse<String> response = send(auth0, "POST", "/oauth/register", VALID);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode client = JSON.readTree(response.body());
        assertThat(client.path("client_id").asText()).isEqualTo("auth0-native-client");
        assertThat(client.path("client_name").asText()).isEqualTo("MCP Inspector");
        assertThat(client.path("token_endpoint_auth_method").asText()).isEqualTo("none");
        assertThat(client.path("redirect_uris").get(0).asText()).isEqualTo("http://localhost:6274/oauth/callback");
        assertThat(JSON.convertValue(client.path("grant_types"), List.class)).containsExactly("authorization_code", "refresh_token");
        assertThat(send(auth0, "POST", "/oauth/register", "{\"redirect_uris\":[\"https://vscode.dev/redirect\"]}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void preRegisteredRefusesInvalidRequestsWithRfc7591Errors() throws Exception {
        assertError(send(auth0, "POST", "/oauth/register", "{not json"), 400, "invalid_client_metadata");
        assertError(send(auth0, "POST", "/oauth/register", "[1]"), 400, "invalid_client_metadata");
        assertError(send(auth0, "POST", "/oauth/register", "{\"client_name\":\"x\"}"), 400, "invalid_redirect_uri");
        assertError(send(auth0, "POST", "/oauth/register", "{\"redirect_uris\":[\"https://evil.example/cb\"]}"), 400,
                "invalid_redirect_uri");
        assertError(send(auth0, "POST", "/oauth/register", "{\"redirect_uris\":[\"https://vscode.dev/redirect/x\"]}"), 400,
                "invalid_redirect_uri");
        assertError(send(auth0, "POST", "/oauth/register", "{\"redirect_uris\":[\"http://localhost:1/cb#frag\"]}"), 400,
                "invalid_redirect_uri");
        assertError(send(auth0, "POST", "/oauth/register",
                "{\"redirect_uris\":[\"http://localhost:1/cb\"],\"grant_types\":[\"client_credentials\"]}"), 400,
                "invalid_client_metadata");
        HttpResponse<String> get = send(auth0, "GET", "/oauth/register", null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST, OPTIONS");
        String big = "{\"redirect_uris\":[\"http://localhost:1/cb\"],\"client_name\":\"" + "x".repeat(4000) + "\"}";
        assertError(send(auth0, "POST", "/oauth/register", big), 413, "invalid_client_metadata");
    }

    @Test
    void answersCorsPreflights() throws Exception {
        HttpRequest preflight = HttpRequest.newBuilder(auth0.uri("/oauth/register"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type").build();
        HttpResponse<String> response = auth0.httpClient().send(preflight, ofString());

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST, OPTIONS");
        assertThat(response.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type");
        HttpResponse<String> metadata = send(auth0, "OPTIONS", AuthorizationServerMetadata.WELL_KNOWN, null);
        assertThat(metadata.statusCode()).isEqualTo(204);
        assertThat(metadata.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void proxyForwardsTheBodyAsSentAndAddsCors() throws Exception {
        HttpResponse<String> response = send(keycloak, "POST", "/oauth/register", VALID);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(JSON.readTree(response.body()).path("client_id").asText()).isEqualTo("kc-generated-1");
        assertThat(idp.lastRequest().path()).isEqualTo("/realms/agents/clients-registrations/openid-connect");
        assertThat(idp.lastRequest().bodyText()).isEqualTo(VALID);
    }

    @Test
    void proxyAnswers502WhenTheProviderIsDownAnd504WhenItIsSlow() throws Exception {
        assertError(send(broken, "POST", "/down/register", VALID), 502, "temporarily_unavailable");
        assertError(send(broken, "POST", "/slow/register", VALID), 504, "temporarily_unavailable");
    }

    private static void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("error_description").asText()).isNotBlank();
    }
}
