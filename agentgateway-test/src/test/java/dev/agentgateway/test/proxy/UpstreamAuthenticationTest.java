package dev.agentgateway.test.proxy;

import static java.net.http.HttpResponse.BodyHandlers.ofString;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Credential;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Route;
import dev.agentgateway.core.UpstreamAuthentication;
import dev.agentgateway.core.UpstreamCredentials;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** UpstreamAuthentication on HTTP routes: the forwarded request carries the credentials, never the client's own. */
class UpstreamAuthenticationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    /** Stands in for an authentication policy: X-User names the principal, the bearer token is kept and removed. */
    static final Policy AUTHENTICATE = new Policy() {
        @Override
        public dev.agentgateway.core.Response apply(dev.agentgateway.core.Exchange exchange, Chain next) throws Exception {
            String user = exchange.requestHeaders().get("X-User");
            if (user != null) {
                exchange.attribute(Principal.KEY, Principal.of(user, "test"));
            }
            String authorization = exchange.requestHeaders().get("Authorization");
            if (authorization != null && authorization.startsWith("Bearer ")) {
                exchange.attribute(Credential.KEY, Credential.bearer(authorization.substring(7)));
                exchange.requestHeaders().remove("Authorization");
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHENTICATION;
        }
    };

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("vault").pathPrefix("/vault").policy(AUTHENTICATE)
                    .policy(UpstreamAuthentication.of(UpstreamCredentials.perPrincipal(
                            principal -> Optional.ofNullable(Map.of("alice", "alice-upstream-token").get(principal.subject())))))
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("static").pathPrefix("/static").policy(AUTHENTICATE)
                    .policy(UpstreamAuthentication.of(UpstreamCredentials.bearer("service-token")))
                    .backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("passthrough").pathPrefix("/passthrough").policy(AUTHENTICATE)
                    .policy(UpstreamAuthentication.of(UpstreamCredentials.passthrough()))
                    .backend(HttpBackend.of(upstream.url()))));

    private static HttpResponse<String> get(String path, String user, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        if (user != null) {
            request.header("X-User", user);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return gateway.httpClient().send(request.build(), ofString());
    }

    private static String authorizationSeenUpstream(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("headers").path("authorization").path(0).asText("none");
    }

    @Test
    void theCallersOwnCredentialIsReplaced() throws Exception {
        assertThat(authorizationSeenUpstream(get("/vault/x", "alice", "Bearer client-token"))).isEqualTo("Bearer alice-upstream-token");
        assertThat(authorizationSeenUpstream(get("/static/x", "bob", "Bearer client-token"))).isEqualTo("Bearer service-token");
    }

    @Test
    void passthroughSendsTheTokenThePolicyAccepted() throws Exception {
        assertThat(authorizationSeenUpstream(get("/passthrough/x", "alice", "Bearer client-token"))).isEqualTo("Bearer client-token");
    }

    @Test
    void withoutCredentialsTheAnswerIs502AndTheUpstreamIsNotCalled() throws Exception {
        long before = upstream.receivedCount();
        HttpResponse<String> response = get("/vault/x", "mallory", null);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("No credentials for the upstream").contains("mallory");
        assertThat(upstream.receivedCount()).isEqualTo(before);
    }
}
