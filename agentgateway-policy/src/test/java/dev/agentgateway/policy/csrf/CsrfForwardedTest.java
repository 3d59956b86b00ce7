package dev.agentgateway.policy.csrf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Behind a load balancer the request's own origin is the one the forwarding headers name, when they are trusted. */
class CsrfForwardedTest {

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension trusting = GatewayExtension.of(g -> g.trustForwardedHeaders(true)
            .route(Route.builder("app").pathPrefix("/").policy(Csrf.builder().build()).backend(HttpBackend.of(upstream.url()))));

    @RegisterExtension
    static final GatewayExtension direct = GatewayExtension.of(g -> g
            .route(Route.builder("app").pathPrefix("/").policy(Csrf.builder().build()).backend(HttpBackend.of(upstream.url()))));

    private static int post(GatewayExtension gateway, String... headers) throws Exception {
        String[] head = new String[headers.length + 2];
        head[0] = "POST /x HTTP/1.1";
        head[1] = "Host: 127.0.0.1:" + gateway.port();
        System.arraycopy(headers, 0, head, 2, headers.length);
        return RawHttp.status(gateway.port(), head);
    }

    @Test
    void trustedXForwardedHostAndProtoNameTheOwnOrigin() throws Exception {
        assertThat(post(trusting, "X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com",
                "Origin: https://app.example.com")).isEqualTo(200);
        assertThat(post(trusting, "X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com",
                "Origin: http://app.example.com")).as("the scheme counts").isEqualTo(403);
    }

    @Test
    void trustedForwardedHeaderNamesTheOwnOrigin() throws Exception {
        assertThat(post(trusting, "Forwarded: proto=https;host=app.example.com", "Origin: https://app.example.com"))
                .isEqualTo(200);
    }

    @Test
    void untrustedForwardingHeadersAreIgnored() throws Exception {
        assertThat(post(direct, "X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com",
                "Origin: https://app.example.com")).isEqualTo(403);
        assertThat(post(direct, "X-Forwarded-Proto: https", "X-Forwarded-Host: app.example.com",
                "Origin: http://127.0.0.1:" + direct.port())).isEqualTo(200);
    }
}
