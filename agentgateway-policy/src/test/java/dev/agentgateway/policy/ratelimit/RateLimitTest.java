package dev.agentgateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.HeaderPrincipal;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import io.micrometer.core.instrument.Counter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Local token buckets: answers and headers, keys, several limits at once, bounded memory, bad configuration. */
class RateLimitTest {
    static final AtomicLong NOW = new AtomicLong(1_000_000_000L);

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .policy(HeaderPrincipal.policy())
            .route(route("global", RateLimit.builder().nanoTime(NOW::get)
                    .limit(Limit.of("everyone", 3, Duration.ofMinutes(1))).build()))
            .route(route("users", RateLimit.builder().nanoTime(NOW::get)
                    .limit(Limit.of("per-user", 2, Duration.ofMinutes(1)).key(RateLimitKey.principal()))
                    .limit(Limit.of("per-tenant", 3, Duration.ofMinutes(1)).key(RateLimitKey.claim("tenant")))
                    .build()))
            .route(route("headers", RateLimit.builder().nanoTime(NOW::get).maxKeys(100)
                    .limit(Limit.of("per-client", 1, Duration.ofHours(1)).key(RateLimitKey.header("X-Client"))).build())));

    private static Route route(String name, RateLimit limit) {
        return Route.builder(name).pathPrefix("/" + name).policy(limit).backend(HttpBackend.of(upstream.url())).build();
    }

    @Test
    void aBucketAnswersWithHeadersThenRefusesUntilItRefills() throws Exception {
        for (int left = 2; left >= 0; left--) {
            HttpResponse<String> allowed = send("/global/x");
            assertThat(allowed.statusCode()).isEqualTo(200);
            assertThat(allowed.headers().firstValue("RateLimit-Policy")).hasValue("\"everyone\";q=3;w=60");
            assertThat(allowed.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"everyone\";r=" + left + ";t=");
        }
        HttpResponse<String> refused = send("/global/x");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("20"); // a token each 20 s
        assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"everyone\";r=0;t=20");
        assertThat(refused.body()).contains("\"rate_limited\"").contains("everyone");
        NOW.addAndGet(Duration.ofSeconds(19).toNanos());
        assertThat(send("/global/x").statusCode()).isEqualTo(429);
        NOW.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(send("/global/x").statusCode()).isEqualTo(200);
        assertThat(count("everyone", "limited")).isEqualTo(2);
    }

    @Test
    void everyLimitThatAppliesMustHaveATokenAndARefusedRequestTakesNone() throws Exception {
        assertThat(send("/users/x", "X-User", "alice", "X-Tenant", "acme").statusCode()).isEqualTo(200);
        assertThat(send("/users/x", "X-User", "alice", "X-Tenant", "acme").statusCode()).isEqualTo(200);
        HttpResponse<String> alice = send("/users/x", "X-User", "alice", "X-Tenant", "acme");
        assertThat(alice.statusCode()).isEqualTo(429);
        assertThat(alice.body()).contains("per-user");
        assertThat(send("/users/x", "X-User", "bob", "X-Tenant", "acme").statusCode()).isEqualTo(200); // acme's third
        HttpResponse<String> bob = send("/users/x", "X-User", "bob", "X-Tenant", "acme");
        assertThat(bob.statusCode()).isEqualTo(429);
        assertThat(bob.body()).as("the tenant's limit refused, after bob's own took a token").contains("per-tenant");
        assertThat(send("/users/x", "X-User", "carol", "X-Tenant", "globex").statusCode()).isEqualTo(200);
        assertThat(send("/users/x").statusCode()).as("anonymous: neither limit applies").isEqualTo(200);
        // 20 s later: acme has one token back (3 a minute); bob's own bucket has 1 + 2/3, because the refused
        // request gave its token back (without the refund it would hold 2/3, and refuse)
        NOW.addAndGet(Duration.ofSeconds(20).toNanos());
        HttpResponse<String> again = send("/users/x", "X-User", "bob", "X-Tenant", "acme");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("RateLimit").orElseThrow()).as("a limit with nothing left is shown").contains(";r=0;");
    }

    @Test
    void aFloodOfDistinctKeysCostsBoundedMemory() throws Exception {
        for (int i = 0; i < 600; i++) {
            assertThat(send("/headers/x", "X-Client", "spoofed-" + i).statusCode()).isEqualTo(200);
        }
        assertThat(evictions("per-client")).isGreaterThanOrEqualTo(500); // at most 100 buckets kept
        String huge = "k".repeat(5_000);
        assertThat(send("/headers/x", "X-Client", huge).statusCode()).isEqualTo(200);
        assertThat(send("/headers/x", "X-Client", huge).statusCode()).as("a long key is kept as its digest").isEqualTo(429);
        assertThat(send("/headers/x").statusCode()).as("no header: not counted").isEqualTo(200);
    }

    @Test
    void badConfigurationFailsAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of("x", 0, Duration.ofSeconds(1))).withMessageContaining("positive");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of("x", -5, Duration.ofSeconds(1))).withMessageContaining("positive");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of("x", 5, Duration.ZERO)).withMessageContaining("window");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of("x", 5, Duration.ofSeconds(1)).burst(0)).withMessageContaining("burst");
        assertThatIllegalArgumentException().isThrownBy(() -> Limit.of("has space", 5, Duration.ofSeconds(1))).withMessageContaining("name");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder().build()).withMessageContaining("at least one");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder().maxKeys(0)).withMessageContaining("maxKeys");
        assertThatIllegalArgumentException().isThrownBy(() -> RateLimit.builder()
                .limit(Limit.of("a", 1, Duration.ofSeconds(1))).limit(Limit.of("a", 2, Duration.ofSeconds(1))).build())
                .withMessageContaining("two limits");
    }

    private static double count(String limit, String outcome) {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit.requests").tag("limit", limit).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double evictions(String limit) {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit.evictions").tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }

    private static HttpResponse<String> send(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
