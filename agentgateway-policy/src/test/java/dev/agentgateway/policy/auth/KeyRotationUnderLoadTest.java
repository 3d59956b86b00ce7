package dev.agentgateway.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An identity provider rotates its signing key while clients keep calling: it publishes the new key,
 * signs with it, then withdraws the old one. Every request must succeed, tokens signed with the old key
 * just before the switch included, and the JWKS endpoint must see only a handful of fetches.
 */
class KeyRotationUnderLoadTest {
    static final RSAKey OLD = TestKeys.rsa("old");
    static final RSAKey NEW = TestKeys.rsa("new");
    static final AtomicReference<String> PUBLISHED = new AtomicReference<>(TestKeys.jwks(OLD));
    static final AtomicInteger FETCHES = new AtomicInteger();

    @RegisterExtension
    static final FakeUpstream idp = FakeUpstream.builder().handler("/jwks", (request, response) -> {
        FETCHES.incrementAndGet();
        response.status(200).header("Content-Type", "application/json").write(PUBLISHED.get());
    }).build();

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("api").pathPrefix("/api")
            .policy(Authentication.required(JwtAuth.builder().issuer(JwtIssuer.builder(TestKeys.ISSUER)
                    .jwksUri(idp.url() + "/jwks").audience(TestKeys.AUDIENCE).build()).build()))
            .backend(HttpBackend.of(upstream.url())).build()));

    @Test
    void rotationDuringTrafficFailsNoRequest() throws Exception {
        AtomicReference<RSAKey> signing = new AtomicReference<>(OLD);
        AtomicInteger sent = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        int clients = 8;
        int perClient = 60;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(executor.submit(() -> {
                    for (int n = 0; n < perClient; n++) {
                        // a fresh token each time, so every request is verified, not served from the token cache
                        RSAKey key = signing.get();
                        String token = TestKeys.token(key, "client-" + client + "-" + n);
                        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/api/x"))
                                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failures.add(key.getKeyID() + " -> " + response.statusCode() + " " + response.body());
                        }
                        sent.incrementAndGet();
                    }
                    return null;
                }));
            }
            int total = clients * perClient;
            awaitSent(sent, total / 4, running);
            PUBLISHED.set(TestKeys.jwks(OLD, NEW)); // 1. publish the new key
            awaitSent(sent, total / 3, running);
            signing.set(NEW);                        // 2. sign with it
            awaitSent(sent, total / 2, running);
            PUBLISHED.set(TestKeys.jwks(NEW));       // 3. withdraw the old key
            for (Future<?> client : running) {
                client.get();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(sent.get()).isEqualTo(clients * perClient);
        // start-up prefetch, plus the one refetch the first new-kid token caused (concurrent ones wait for it)
        assertThat(FETCHES.get()).isBetween(1, 3);
    }

    /** Until {@code count} requests were sent, or every client ended (a client that died ends the wait). */
    private static void awaitSent(AtomicInteger sent, int count, List<Future<?>> clients) throws InterruptedException {
        while (sent.get() < count && !clients.stream().allMatch(Future::isDone)) {
            Thread.sleep(5);
        }
    }
}
