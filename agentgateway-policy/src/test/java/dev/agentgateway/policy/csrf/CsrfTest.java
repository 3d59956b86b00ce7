package dev.agentgateway.policy.csrf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.PathMatch;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which browser requests may change state, judged from {@code Sec-Fetch-Site} and {@code Origin}. */
class CsrfTest {
    private static final String EVIL = "https://evil.example";
    private static final String CONSOLE = "https://console.example.com";

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    /** Answers errors in a shape of its own, as protocol backends do. */
    private static final Backend SHAPED = new Backend() {
        @Override
        public Response handle(Exchange exchange) {
            return Response.text(200, "changed");
        }

        @Override
        public String name() {
            return "shaped";
        }

        @Override
        public Response errorResponse(Exchange exchange, GatewayException error) {
            return Response.json(error.status(), "{\"shape\":\"custom\",\"code\":\"" + error.code() + "\"}");
        }
    };

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("app").pathPrefix("/app")
                    .policy(Csrf.builder()
                            .trustedOrigins(CONSOLE, "http://localhost:5173")
                            .exemptPathPrefix("/app/hooks")
                            .exemptPath("/app/login")
                            .exempt(PathMatch.Template.parse("/app/callbacks/{id}/done"))
                            .build())
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("shaped").pathPrefix("/shaped").policy(Csrf.builder().build()).backend(SHAPED)));

    private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String own() {
        return "http://127.0.0.1:" + gateway.port();
    }

    private static double refusals(String reason) {
        var counter = gateway.meterRegistry().find(Csrf.METRIC).tags("reason", reason, "route", "app").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void safeMethodsPassWhateverTheirOrigin() throws Exception {
        for (String method : List.of("GET", "HEAD", "OPTIONS")) {
            assertThat(send(method, "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", EVIL).statusCode())
                    .as(method).isEqualTo(200);
            assertThat(send(method, "/app/x", "Origin", EVIL).statusCode()).as(method).isEqualTo(200);
        }
    }

    @Test
    void unsafeRequestsFromAnotherSiteAreRefusedWith403() throws Exception {
        long reached = upstream.receivedCount();
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            HttpResponse<String> response = send(method, "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", EVIL);
            assertThat(response.statusCode()).as(method).isEqualTo(403);
            assertThat(response.body()).contains("\"forbidden\"").contains("Sec-Fetch-Site: cross-site")
                    .contains("'" + EVIL + "' is not trusted");
        }
        assertThat(upstream.receivedCount()).as("the upstream is not called").isEqualTo(reached);
    }

    @Test
    void sameSiteIsNotSameOrigin() throws Exception {
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "same-site", "Origin", "https://other.example.com")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void anUnknownSecFetchSiteValueCountsAsCrossSite() throws Exception {
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "bogus").statusCode()).isEqualTo(403);
    }

    @Test
    void crossSiteWithoutAnOriginIsRefused() throws Exception {
        HttpResponse<String> response = send("POST", "/app/x", "Sec-Fetch-Site", "cross-site");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("without an Origin");
    }

    @Test
    void sameOriginAndUserInitiatedRequestsPass() throws Exception {
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "same-origin", "Origin", own()).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "none").statusCode()).isEqualTo(200);
    }

    @Test
    void headerNamesAndValuesAreMatchedWithoutCase() throws Exception {
        assertThat(send("POST", "/app/x", "sec-fetch-site", "Same-Origin").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/x", "SEC-FETCH-SITE", "CROSS-SITE", "ORIGIN", EVIL).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/x", "origin", "HTTP://127.0.0.1:" + gateway.port()).statusCode()).isEqualTo(200);
    }

    @Test
    void crossSiteRequestsFromTrustedOriginsPass() throws Exception {
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", CONSOLE).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "same-site", "Origin", "HTTPS://Console.Example.COM:443")
                .statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:5173").statusCode())
                .isEqualTo(200);
        assertThat(send("POST", "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:5174").statusCode())
                .as("another port is another origin").isEqualTo(403);
    }

    @Test
    void withoutSecFetchSiteTheOriginMustBeTheRequestsOwn() throws Exception {
        assertThat(send("POST", "/app/x", "Origin", own()).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/x", "Origin", CONSOLE).statusCode()).as("trusted").isEqualTo(200);
        HttpResponse<String> evil = send("POST", "/app/x", "Origin", EVIL);
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("is not this server's origin");
    }

    @Test
    void anotherPortSchemeOrHostIsAnotherOrigin() throws Exception {
        int other = gateway.port() == 65535 ? 65534 : gateway.port() + 1;
        assertThat(send("POST", "/app/x", "Origin", "http://127.0.0.1:" + other).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/x", "Origin", "http://127.0.0.1").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/x", "Origin", "https://127.0.0.1:" + gateway.port()).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/x", "Origin", "http://localhost:" + gateway.port()).statusCode()).isEqualTo(403);
    }

    @Test
    void defaultPortsAreTheSameOriginWrittenOrNot() throws Exception {
        int port = gateway.port();
        assertThat(RawHttp.status(port, "POST /app/x HTTP/1.1", "Host: app.example.com", "Origin: http://app.example.com"))
                .isEqualTo(200);
        assertThat(RawHttp.status(port, "POST /app/x HTTP/1.1", "Host: app.example.com", "Origin: http://app.example.com:80"))
                .isEqualTo(200);
        assertThat(RawHttp.status(port, "POST /app/x HTTP/1.1", "Host: app.example.com:80", "Origin: http://app.example.com"))
                .isEqualTo(200);
        assertThat(RawHttp.status(port, "POST /app/x HTTP/1.1", "Host: app.example.com:8080", "Origin: http://app.example.com"))
                .isEqualTo(403);
        assertThat(RawHttp.status(port, "POST /app/x HTTP/1.1", "Host: [::1]:8080", "Origin: http://[::1]:8080"))
                .isEqualTo(200);
    }

    @Test
    void malformedOriginsAreNeverTheRequestsOwn() throws Exception {
        String self = own();
        for (String origin : List.of("null", "garbage", "http://", "127.0.0.1:" + gateway.port(), self + "/",
                self + "/path", "http://user@127.0.0.1:" + gateway.port(), self + "?q", "http://127.0.0.1:port")) {
            HttpResponse<String> response = send("POST", "/app/x", "Origin", origin);
            assertThat(response.statusCode()).as(origin).isEqualTo(403);
            assertThat(response.body()).as(origin).contains("is not a single valid origin");
        }
    }

    @Test
    void severalOriginHeadersAreRefused() throws Exception {
        assertThat(RawHttp.status(gateway.port(), "POST /app/x HTTP/1.1", "Host: 127.0.0.1:" + gateway.port(),
                "Origin: " + own(), "Origin: " + own())).isEqualTo(403);
    }

    @Test
    void clientsThatAreNotBrowsersPass() throws Exception {
        assertThat(send("POST", "/app/x").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "/app/x", "Sec-Fetch-Site", "").statusCode()).isEqualTo(200);
    }

    @Test
    void exemptPathsPassFromAnySite() throws Exception {
        assertThat(send("POST", "/app/hooks", "Sec-Fetch-Site", "cross-site", "Origin", EVIL).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/hooks/github", "Origin", EVIL).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/hooks/%67ithub", "Origin", EVIL).statusCode()).as("decoded").isEqualTo(200);
        assertThat(send("POST", "/app/login", "Origin", EVIL).statusCode()).isEqualTo(200);
        assertThat(send("POST", "/app/callbacks/7/done", "Origin", EVIL).statusCode()).isEqualTo(200);
    }

    @Test
    void pathsThatOnlyLookExemptAreChecked() throws Exception {
        assertThat(send("POST", "/app/hooksx", "Origin", EVIL).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/login/more", "Origin", EVIL).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/app/callbacks/7/undone", "Origin", EVIL).statusCode()).isEqualTo(403);
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        double crossSite = refusals("sec_fetch_site");
        double mismatch = refusals("origin_mismatch");
        double invalid = refusals("origin_invalid");
        send("POST", "/app/x", "Sec-Fetch-Site", "cross-site", "Origin", EVIL);
        send("POST", "/app/x", "Origin", EVIL);
        send("POST", "/app/x", "Origin", "null");
        send("POST", "/app/x", "Origin", own());
        assertThat(refusals("sec_fetch_site")).isEqualTo(crossSite + 1);
        assertThat(refusals("origin_mismatch")).isEqualTo(mismatch + 1);
        assertThat(refusals("origin_invalid")).isEqualTo(invalid + 1);
    }

    @Test
    void refusalsTakeTheRoutesErrorShapeAndNeverReachTheBackend() throws Exception {
        HttpResponse<String> refused = send("POST", "/shaped", "Sec-Fetch-Site", "cross-site", "Origin", EVIL);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).isEqualTo("{\"shape\":\"custom\",\"code\":\"forbidden\"}");
        assertThat(send("POST", "/shaped", "Sec-Fetch-Site", "same-origin").body()).isEqualTo("changed");
    }
}
