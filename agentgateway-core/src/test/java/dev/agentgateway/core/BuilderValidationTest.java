package dev.agentgateway.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Mistakes fail when the configuration is built, with a message naming the route or field. */
class BuilderValidationTest {
    private static final DirectResponse OK = DirectResponse.of(200, "ok");

    @Test
    void duplicateRouteNamesFailAtBuild() {
        Gateway.Builder builder = Gateway.builder()
                .route(Route.builder("api").path("/a").backend(OK))
                .route(Route.builder("api").path("/b").backend(OK));
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("'api'");
    }

    @Test
    void aRouteThatCanNeverWinFailsAtBuild() {
        Gateway.Builder builder = Gateway.builder()
                .route(Route.builder("first").pathPrefix("/api").method("GET").backend(OK))
                .route(Route.builder("shadowed").pathPrefix("/api/").method("GET").backend(OK));
        assertThatThrownBy(builder::build).hasMessageContaining("'shadowed' is unreachable").hasMessageContaining("'first'");
    }

    @Test
    void aRegexThatDoesNotCompileNamesTheRoute() {
        assertThatThrownBy(() -> Route.builder("broken").pathRegex("/a(["))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("route 'broken'").hasMessageContaining("/a([");
    }

    @Test
    void badTemplatesAreRejected() {
        assertThatThrownBy(() -> Route.builder("t").pathTemplate("/a/{*rest}/b")).hasMessageContaining("last segment");
        assertThatThrownBy(() -> Route.builder("t").pathTemplate("/a/x{id}")).hasMessageContaining("whole segment");
        assertThatThrownBy(() -> Route.builder("t").pathTemplate("/{id}/{id}")).hasMessageContaining("twice");
        assertThatThrownBy(() -> Route.builder("t").pathTemplate("users")).hasMessageContaining("must start with '/'");
    }

    @Test
    void aRouteWithoutBackendFails() {
        assertThatThrownBy(() -> Route.builder("lonely").path("/x").build()).hasMessageContaining("'lonely' has no backend");
    }

    @Test
    void aRouteWithTwoPathConditionsFails() {
        assertThatThrownBy(() -> Route.builder("r").path("/a").pathPrefix("/b")).hasMessageContaining("one path condition");
    }

    @Test
    void rewritesMustFitThePathCondition() {
        assertThatThrownBy(() -> Route.builder("r").path("/a").rewritePath(PathRewrite.stripPrefix()).backend(OK).build())
                .hasMessageContaining("needs a pathPrefix");
        assertThatThrownBy(() -> Route.builder("r").pathTemplate("/u/{id}").rewritePath(PathRewrite.template("/v/{name}")).backend(OK).build())
                .hasMessageContaining("{name}");
    }

    @Test
    void badHostsMethodsAndHeadersAreRejected() {
        assertThatThrownBy(() -> Route.builder("r").host("exa mple.com")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> Route.builder("r").method("GET POST")).hasMessageContaining("not an HTTP method");
        assertThatThrownBy(() -> HeaderModifier.builder().set("Bad Name", "x")).hasMessageContaining("not a valid header name");
    }

    @Test
    void httpBackendValidatesEndpointsAndDurations() {
        assertThatThrownBy(() -> HttpBackend.builder().build()).hasMessageContaining("no endpoint");
        assertThatThrownBy(() -> HttpBackend.of("ftp://x")).hasMessageContaining("http or https");
        assertThatThrownBy(() -> HttpBackend.builder().endpoint("http://a", 0)).hasMessageContaining("weight");
        assertThatThrownBy(() -> HttpBackend.builder().connectTimeout(Duration.ZERO)).hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> HttpBackend.builder().endpoint("http://a").endpoint("https://b").build()).hasMessageContaining("mixes");
        assertThatThrownBy(() -> HttpBackend.builder().retries(-1)).hasMessageContaining("retries");
    }

    @Test
    void gatewaySettersCheckRanges() {
        assertThatThrownBy(() -> Gateway.builder().port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> Gateway.builder().maxRequestBodySize(-1)).hasMessageContaining("maxRequestBodySize");
        assertThatThrownBy(() -> Gateway.builder().idleTimeout(Duration.ZERO)).hasMessageContaining("idleTimeout");
    }

    @Test
    void corsNeedsAnOrigin() {
        assertThatThrownBy(() -> Cors.builder().build()).hasMessageContaining("allowOrigin");
        assertThatThrownBy(() -> Cors.builder().allowOrigin("example.com")).hasMessageContaining("not an origin");
    }

    @Test
    void uriBeforeStartIsAClearError() {
        Gateway gateway = Gateway.builder().port(0).route(Route.builder("r").backend(OK)).build();
        assertThatThrownBy(gateway::uri).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
    }
}
