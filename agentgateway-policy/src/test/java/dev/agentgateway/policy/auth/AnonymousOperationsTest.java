package dev.agentgateway.policy.auth;

import static dev.agentgateway.policy.auth.AuthTestSupport.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code anonymousFor} exempts only requests whose backend recorded a matching operation (the A2A side is tested there). */
class AnonymousOperationsTest {
    private static final String KEY = ApiKeys.generate();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("plain").pathPrefix("/plain")
            .policy(Authentication.builder()
                    .authenticator(ApiKeyAuth.builder().store(InMemoryApiKeyStore.of(ApiKey.builder("k").key(KEY).build())).build())
                    .anonymousFor(operation -> true).build())
            .backend(HttpBackend.of(upstream.url())).build()));

    @Test
    void aRequestWithNoRecordedOperationIsNeverExempt() {
        assertThat(status(gateway, "/plain/.well-known/agent-card.json")).isEqualTo(401);
        assertThat(status(gateway, "/plain/.well-known/agent-card.json", "x-api-key", KEY)).isEqualTo(200);
    }

    @Test
    void anExemptionMustBeNamed() {
        assertThatNullPointerException().isThrownBy(() -> Authentication.builder().anonymousFor(null));
    }
}
