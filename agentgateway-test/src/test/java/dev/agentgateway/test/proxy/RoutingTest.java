package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.HeaderModifier;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routes match on path, method, host, headers and query, and rewrite paths and headers. */
class RoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("health").path("/healthz").backend(DirectResponse.of(200, "ok")))
            .route(Route.builder("users").pathTemplate("/users/{id}").method("GET")
                    .rewritePath(PathRewrite.template("/v2/people/{id}")).backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("files").pathRegex("/files/.+\\.png").backend(DirectResponse.of(200, "png")))
            .route(Route.builder("api").pathPrefix("/api").rewritePath(PathRewrite.stripPrefix())
                    .requestHeaders(HeaderModifier.builder().set("X-Route", "api").remove("X-Secret").add("X-Multi", "b").build())
                    .responseHeaders(HeaderModifier.builder().set("X-Served-By", "gateway").remove("Content-Type").build())
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("v1").pathPrefix("/v1").rewritePath(PathRewrite.replacePrefix("/internal/v1"))
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("full").path("/old").rewritePath(PathRewrite.replaceFull("/new")).backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("tenant").host("*.tenant.test").pathPrefix("/").backend(DirectResponse.of(200, "tenant")))
            .route(Route.builder("beta").pathPrefix("/").header("X-Env", "beta").backend(DirectResponse.of(200, "beta")))
            .route(Route.builder("debug").pathPrefix("/").queryParameter("debug", "1").backend(DirectResponse.of(200, "debug")))
            .route(Route.builder("lambda").path("/hello").backend(exchange ->
                    Response.text(200, "virtual=" + Thread.currentThread().isVirtual()))));

    private static HttpClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = TestClients.jettyHttp1();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    private static ContentResponse get(String path) throws Exception {
        return client.newRequest(gateway.uri(path)).send();
    }

    private static JsonNode echoed(ContentResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString());
    }

    @Test
    void exactPathIsServedByADirectResponse() throws Exception {
        ContentResponse response = get("/healthz");
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("ok");
    }

    @Test
    void templateCapturesAreSubstitutedIntoTheRewrite() throws Exception {
        assertThat(echoed(get("/users/42?full=true")).get("path").asText()).isEqualTo("/v2/people/42");
        assertThat(echoed(get("/users/42?full=true")).get("query").asText()).isEqualTo("full=true");
    }

    @Test
    void aMethodConditionExcludesOtherMethods() throws Exception {
        ContentResponse response = client.newRequest(gateway.uri("/users/42")).method("DELETE").send();
        // Falls through to the catch-all-host-less routes: none matches /users/42 for DELETE but the prefix ones.
        assertThat(response.getStatus()).isEqualTo(404);
    }

    @Test
    void regexRoutesMatchTheWholePath() throws Exception {
        assertThat(get("/files/logo.png").getContentAsString()).isEqualTo("png");
        assertThat(get("/files/logo.png.txt").getStatus()).isEqualTo(404);
    }

    @Test
    void stripPrefixAndHeaderModifiersApply() throws Exception {
        ContentResponse response = client.newRequest(gateway.uri("/api/items?x=1"))
                .headers(h -> h.put("X-Secret", "s").put("X-Multi", "a")).send();
        JsonNode echo = JSON.readTree(response.getContentAsString());
        assertThat(echo.get("path").asText()).isEqualTo("/items");
        assertThat(echo.get("headers").get("x-route").get(0).asText()).isEqualTo("api");
        assertThat(echo.get("headers").has("x-secret")).isFalse();
        assertThat(echo.get("headers").get("x-multi")).hasSize(2);
        assertThat(response.getHeaders().get("X-Served-By")).isEqualTo("gateway");
        assertThat(response.getHeaders().get("Content-Type")).isNull();
    }

    @Test
    void thePrefixItselfBecomesRootWhenStripped() throws Exception {
        assertThat(echoed(get("/api")).get("path").asText()).isEqualTo("/");
    }

    @Test
    void replacePrefixAndReplaceFull() throws Exception {
        assertThat(echoed(get("/v1/models")).get("path").asText()).isEqualTo("/internal/v1/models");
        assertThat(echoed(get("/old")).get("path").asText()).isEqualTo("/new");
    }

    @Test
    void encodedCharactersSurviveRewriting() throws Exception {
        ContentResponse response = get("/v1/model/arn%3Aaws%3Abedrock%2Fx/converse");
        assertThat(echoed(response).get("path").asText()).isEqualTo("/internal/v1/model/arn%3Aaws%3Abedrock%2Fx/converse");
    }

    @Test
    void wildcardHostsMatch() throws Exception {
        ContentResponse response = client.newRequest(gateway.uri("/anything")).headers(h -> h.put("Host", "acme.tenant.test")).send();
        assertThat(response.getContentAsString()).isEqualTo("tenant");
    }

    @Test
    void headerAndQueryConditionsSelectRoutes() throws Exception {
        assertThat(client.newRequest(gateway.uri("/x")).headers(h -> h.put("X-Env", "beta")).send().getContentAsString()).isEqualTo("beta");
        assertThat(get("/x?debug=1").getContentAsString()).isEqualTo("debug");
        assertThat(get("/x?debug=2").getStatus()).isEqualTo(404);
    }

    @Test
    void noRouteGivesAJson404() throws Exception {
        ContentResponse response = get("/nowhere");
        assertThat(response.getStatus()).isEqualTo(404);
        assertThat(response.getMediaType()).isEqualTo("application/json");
        JsonNode error = JSON.readTree(response.getContentAsString()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("route_not_found");
        assertThat(error.get("message").asText()).contains("GET /nowhere");
    }

    @Test
    void handlersRunOnVirtualThreads() throws Exception {
        assertThat(get("/hello").getContentAsString()).isEqualTo("virtual=true");
    }
}
