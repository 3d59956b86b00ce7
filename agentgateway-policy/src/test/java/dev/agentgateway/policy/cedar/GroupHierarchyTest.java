package dev.agentgateway.policy.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Nested groups: a policy on the outer group covers members of the inner ones. */
class GroupHierarchyTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aPolicyOnAnOuterGroupCoversInnerGroups() throws Exception {
        CedarAuthorization authorization = CedarAuthorization.builder()
                .policies("permit(principal in Group::\"engineering\", action == Action::\"call_tool\", resource);")
                .groupParents("backend", "platform").groupParents("platform", "engineering").build();
        try (Gateway gateway = Gateway.builder().host("127.0.0.1").port(0)
                .policy(CedarTestSupport.headerPrincipal()).policy(authorization)
                .route(Route.builder("tools").pathPrefix("/tools").backend(CedarTestSupport.toolBackend()).build())
                .build().start()) {
            assertThat(call(gateway, "backend")).isEqualTo(200);
            assertThat(call(gateway, "platform")).isEqualTo(200);
            assertThat(call(gateway, "sales")).isEqualTo(404);
        }
    }

    @Test
    void cyclesFailTheBuild() {
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies("permit(principal, action, resource);")
                .groupParents("a", "b").groupParents("b", "c").groupParents("c", "a").build())
                .withMessageContaining("inside itself");
    }

    private int call(Gateway gateway, String role) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/tools/call/a/one"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("X-User", "u").header("X-Roles", role).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
