package dev.agentgateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import dev.agentgateway.test.RedisServer;
import io.micrometer.core.instrument.Counter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Buckets in a real redis-server: limits across gateways, keys, costs, and what happens when Redis fails. */
class RedisStoreTest {
    /** For tests where the timeout is not the subject: a busy CI machine can outlast the 50 ms default. */
    static final Duration PATIENT = Duration.ofSeconds(1);

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    static RedisServer redis;
    final List<GatewayExtension> gateways = new ArrayList<>();
    final List<RedisServer> ownServers = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void emptyRedis() throws Exception {
        assertThat(redis.cli("FLUSHALL")).isEqualTo("OK");
    }

    @AfterEach
    void stopGateways() throws Exception {
        gateways.forEach(GatewayExtension::stop);
        for (RedisServer server : ownServers) {
            server.close();
        }
    }

    @Test
    void aLimitHoldsAcrossTwoGatewaysSharingOneRedis() throws Exception {
        RedisStore store = RedisStore.builder().uri(redis.uri()).timeout(PATIENT).build();
        GatewayExtension a = gateway(store, Limit.of("shared", 10, Duration.ofMinutes(1)));
        GatewayExtension b = gateway(store, Limit.of("shared", 10, Duration.ofMinutes(1)));
        int passedA = 0;
        int passedB = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = send(i % 2 == 0 ? a : b);
            if (response.statusCode() == 200) {
                passedA += i % 2 == 0 ? 1 : 0;
                passedB += i % 2 == 0 ? 0 : 1;
            } else {
                assertThat(response.statusCode()).isEqualTo(429);
                refused = response;
            }
        }
        assertThat(passedA + passedB).as("exactly the quota passes, across both gateways").isEqualTo(10);
        assertThat(passedA).isEqualTo(5);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("6"); // a token each 6 s
        assertThat(refused.headers().firstValue("RateLimit")).hasValue("\"shared\";r=0;t=6");
        assertThat(redis.cli("HEXISTS", "agw:rl:shared:=*", "tokens")).isEqualTo("1");
        assertThat(Long.parseLong(redis.cli("PTTL", "agw:rl:shared:=*"))).as("expires when full again").isBetween(50_000L, 60_000L);
    }

    @Test
    void keysAreSeparatePerKeyPerLimitAndPerPrefix() throws Exception {
        Limit perClient = Limit.of("per-client", 2, Duration.ofMinutes(1)).key(RateLimitKey.header("X-Client"));
        RedisStore store = RedisStore.builder().uri(redis.uri()).timeout(PATIENT).build();
        GatewayExtension a = gateway(store, perClient);
        GatewayExtension b = gateway(store, perClient);
        GatewayExtension otherService = gateway(RedisStore.builder().uri(redis.uri()).keyPrefix("other:").timeout(PATIENT).build(), perClient);
        assertThat(send(a, "X-Client", "alice").statusCode()).isEqualTo(200);
        assertThat(send(b, "X-Client", "alice").statusCode()).isEqualTo(200);
        assertThat(send(a, "X-Client", "alice").statusCode()).isEqualTo(429);
        assertThat(send(b, "X-Client", "alice").statusCode()).isEqualTo(429);
        assertThat(send(b, "X-Client", "bob").statusCode()).as("another key").isEqualTo(200);
        assertThat(send(otherService, "X-Client", "alice").statusCode()).as("another prefix").isEqualTo(200);
        String huge = "k".repeat(5_000);
        assertThat(send(a, "X-Client", huge).statusCode()).isEqualTo(200);
        assertThat(send(b, "X-Client", huge).statusCode()).isEqualTo(200);
        assertThat(send(a, "X-Client", huge).statusCode()).isEqualTo(429);
        assertThat(redis.cli("KEYS", "agw:rl:per-client:*").lines().sorted().toList())
                .as("a long key is kept as its digest").hasSize(3).allMatch(key -> key.length() < 80)
                .contains("agw:rl:per-client:=alice", "agw:rl:per-client:=bob");
    }

    @Test
    void costsAndAdjustmentsAreOneAtomicStepInRedis() throws Exception {
        AtomicReference<GatewayContext> context = new AtomicReference<>();
        gateways.add(started(GatewayExtension.of(g -> g.route(Route.builder("capture").pathPrefix("/").policy(capture(context))
                .backend(HttpBackend.of(upstream.url())).build()))));
        RedisStore store = RedisStore.builder().uri(redis.uri()).timeout(PATIENT).build();
        Buckets buckets = store.buckets(Limit.of("tokens", 10, Duration.ofMinutes(1)), context.get(), System::nanoTime, () -> {
        });
        try {
            TokenBucket.Outcome four = buckets.take("team-a", 4);
            assertThat(four.allowed()).isTrue();
            assertThat(four.remaining()).isEqualTo(6);
            assertThat(four.fullInNanos()).isBetween(Duration.ofSeconds(23).toNanos(), Duration.ofSeconds(24).toNanos());
            buckets.adjust("team-a", -7); // the real cost was 11: the bucket goes below zero
            TokenBucket.Outcome refused = buckets.take("team-a", 1);
            assertThat(refused.allowed()).isFalse();
            assertThat(refused.remaining()).isZero();
            assertThat(refused.retryAfterNanos()).as("two tokens to refill, 6 s each").isBetween(Duration.ofSeconds(11).toNanos(),
                    Duration.ofSeconds(12).toNanos());
            assertThat(buckets.take("team-a", 11).retryAfterNanos()).as("more than the capacity: a full bucket's wait")
                    .isBetween(Duration.ofSeconds(65).toNanos(), Duration.ofSeconds(66).toNanos());
            buckets.adjust("team-a", 100);
            assertThat(redis.cli("EXISTS", "agw:rl:tokens:=team-a")).as("a full bucket is no key at all").isEqualTo("0");
            assertThat(buckets.take("team-a", 10).remaining()).as("capped at the capacity").isZero();
            assertThat(buckets.take("team-b", 10).allowed()).as("another key").isTrue();

            Buckets slow = store.buckets(Limit.of("slow", 50, Duration.ofHours(1)), context.get(), System::nanoTime, () -> {
            });
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Boolean>> takes = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    takes.add(threads.submit(() -> slow.take("hot", 1).allowed()));
                }
                long allowed = 0;
                for (Future<Boolean> take : takes) {
                    allowed += take.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(allowed).as("64 concurrent takes on one key, 50 tokens").isEqualTo(50);
            } finally {
                slow.close();
            }
        } finally {
            buckets.close();
        }
    }

    @Test
    void failingOpenRequestsKeepFlowingUnderLocalLimitsWhenRedisIsKilledMidLoad() throws Exception {
        RedisServer own = ownServer(null);
        RedisStore store = RedisStore.builder().uri(own.uri()).onFailure(FailureMode.FAIL_OPEN).timeout(PATIENT).build();
        GatewayExtension gateway = gateway(store, Limit.of("load", 100, Duration.ofMinutes(1)));
        GatewayExtension fresh = gateway(store, Limit.of("fresh", 20, Duration.ofMinutes(1)));
        for (int i = 0; i < 30; i++) {
            assertThat(send(gateway).statusCode()).isEqualTo(200);
        }
        // 8 callers in a loop; Redis is killed after 40 answers, the load goes on for 120 more
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch beforeKill = new CountDownLatch(40);
        List<Integer> afterKill = new CopyOnWriteArrayList<>();
        AtomicBoolean killed = new AtomicBoolean();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> callers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                callers.add(threads.submit(() -> {
                    while (!stop.get()) {
                        boolean after = killed.get();
                        int status = send(gateway).statusCode();
                        beforeKill.countDown();
                        if (after) {
                            afterKill.add(status);
                        }
                    }
                    return null;
                }));
            }
            assertThat(beforeKill.await(10, TimeUnit.SECONDS)).isTrue();
            own.kill();
            killed.set(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (afterKill.size() < 120 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            stop.set(true);
            for (Future<?> caller : callers) {
                caller.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no request waits for a dead Redis").isLessThan(Duration.ofSeconds(8));
        assertThat(afterKill).hasSizeGreaterThanOrEqualTo(120).containsOnly(200, 429);
        assertThat(afterKill.stream().filter(status -> status == 200).count())
                .as("after the kill, the local bucket (100) lets requests through").isGreaterThanOrEqualTo(90);
        assertThat(failures(gateway, "load", "fail_open")).isGreaterThanOrEqualTo(120);

        int passed = 0;
        for (int i = 0; i < 30; i++) {
            passed += send(fresh).statusCode() == 200 ? 1 : 0;
        }
        assertThat(passed).as("the local limit holds while Redis is down").isEqualTo(20);
        assertThat(failures(fresh, "fresh", "fail_open")).isEqualTo(30);
    }

    @Test
    void aFrozenRedisCostsEachCheckNoMoreThanTheTimeout() throws Exception {
        RedisServer own = ownServer(null);
        RedisStore store = RedisStore.builder().uri(own.uri()).timeout(Duration.ofMillis(50)).build();
        GatewayExtension gateway = gateway(store, Limit.of("frozen", 1000, Duration.ofMinutes(1)));
        assertThat(send(gateway).statusCode()).isEqualTo(200);
        own.freeze(true);
        try {
            long started = System.nanoTime();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Integer>> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    batch.add(threads.submit(() -> send(gateway).statusCode()));
                }
                for (Future<Integer> request : batch) {
                    assertThat(request.get(10, TimeUnit.SECONDS)).isEqualTo(200);
                }
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(failures(gateway, "frozen", "fail_open")).isGreaterThanOrEqualTo(40);
        } finally {
            own.freeze(false);
        }
        double failed = failures(gateway, "frozen", "fail_open");
        awaitStatus(gateway, 200, Duration.ofSeconds(5));
        assertThat(own.cli("HEXISTS", "agw:rl:frozen:=*", "tokens")).isEqualTo("1");
        assertThat(send(gateway).statusCode()).isEqualTo(200);
        assertThat(failures(gateway, "frozen", "fail_open")).as("Redis answers again").isLessThanOrEqualTo(failed + 1);
    }

    @Test
    void failingClosedRefusesWhileRedisIsDownAndSharesAgainWhenItIsBack() throws Exception {
        RedisServer own = ownServer(null);
        RedisStore store = RedisStore.builder().uri(own.uri()).onFailure(FailureMode.FAIL_CLOSED).timeout(PATIENT).build();
        GatewayExtension a = gateway(store, Limit.of("closed", 6, Duration.ofMinutes(1)));
        GatewayExtension b = gateway(store, Limit.of("closed", 6, Duration.ofMinutes(1)));
        awaitStatus(a, 200, Duration.ofSeconds(10)); // the first check may outlast the 50 ms timeout on a busy machine
        double before = failures(a, "closed", "fail_closed");
        own.kill();
        HttpResponse<String> refused = send(b);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.body()).contains("closed");
        assertThat(send(a).statusCode()).isEqualTo(429);
        assertThat(failures(a, "closed", "fail_closed")).isEqualTo(before + 1);

        own.restart(); // empty, on the same port
        awaitStatus(a, 200, Duration.ofSeconds(10));
        awaitStatus(b, 200, Duration.ofSeconds(10));
        int passed = 0;
        for (int i = 0; i < 12; i++) {
            passed += send(i % 2 == 0 ? a : b).statusCode() == 200 ? 1 : 0;
        }
        assertThat(passed).as("6 a minute, 2 taken by the first answers after the restart").isEqualTo(4);
    }

    @Test
    void aRedisAnsweringErrorsGetsTheFailureMode() throws Exception {
        RedisServer guarded = ownServer("s3cret");
        String noPassword = guarded.uri();
        GatewayExtension closed = gateway(RedisStore.builder().uri(noPassword).onFailure(FailureMode.FAIL_CLOSED).timeout(PATIENT).build(),
                Limit.of("auth", 2, Duration.ofMinutes(1)));
        assertThat(send(closed).statusCode()).as("NOAUTH: refused").isEqualTo(429);
        assertThat(failures(closed, "auth", "fail_closed")).isPositive();
        GatewayExtension open = gateway(RedisStore.builder().uri(noPassword).timeout(PATIENT).build(), Limit.of("auth", 2, Duration.ofMinutes(1)));
        assertThat(List.of(send(open).statusCode(), send(open).statusCode(), send(open).statusCode()))
                .as("NOAUTH: the local limit").containsExactly(200, 200, 429);
        assertThat(failures(open, "auth", "fail_open")).isEqualTo(3);

        RedisStore withPassword = RedisStore.builder().uri("redis://:s3cret@127.0.0.1:" + guarded.port() + "/0").timeout(PATIENT).build();
        assertThat(withPassword.toString()).doesNotContain("s3cret");
        GatewayExtension a = gateway(withPassword, Limit.of("auth", 2, Duration.ofMinutes(1)));
        GatewayExtension b = gateway(withPassword, Limit.of("auth", 2, Duration.ofMinutes(1)));
        assertThat(List.of(send(a).statusCode(), send(b).statusCode(), send(a).statusCode())).containsExactly(200, 200, 429);
        assertThat(failures(a, "auth", "fail_open")).isZero();
        assertThat(guarded.cli("EXISTS", "agw:rl:auth:=*")).isEqualTo("1");
    }

    @Test
    void badConfigurationFailsAtBuild() {
        assertThatIllegalArgumentException().isThrownBy(() -> RedisStore.builder().uri("http://127.0.0.1:6379")).withMessageContaining("redis://");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisStore.builder().uri("redis://:secret@127.0.0.1:notaport"))
                .withMessageContaining("Redis URI").withMessageNotContaining("secret");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisStore.builder().uri("not a uri")).withMessageContaining("Redis URI");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisStore.builder().build()).withMessageContaining("uri");
        assertThatIllegalArgumentException().isThrownBy(() -> RedisStore.builder().timeout(Duration.ZERO)).withMessageContaining("positive");
    }

    private RedisServer ownServer(String password) throws Exception {
        RedisServer server = RedisServer.start(password);
        ownServers.add(server);
        return server;
    }

    private GatewayExtension gateway(RedisStore store, Limit... limits) {
        RateLimit.Builder rateLimit = RateLimit.builder().store(store);
        for (Limit limit : limits) {
            rateLimit.limit(limit);
        }
        RateLimit policy = rateLimit.build();
        GatewayExtension gateway = started(GatewayExtension.of(g -> g.route(Route.builder("limited").pathPrefix("/limited")
                .policy(policy).backend(HttpBackend.of(upstream.url())).build())));
        gateways.add(gateway);
        return gateway;
    }

    private static GatewayExtension started(GatewayExtension gateway) {
        gateway.start();
        return gateway;
    }

    private static Policy capture(AtomicReference<GatewayContext> context) {
        return new Policy() {
            @Override
            public Policy bind(GatewayContext gateway) {
                context.set(gateway);
                return this;
            }

            @Override
            public Response apply(Exchange exchange, Chain next) throws Exception {
                return next.proceed(exchange);
            }
        };
    }

    private static void awaitStatus(GatewayExtension gateway, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (send(gateway).statusCode() != status) {
            assertThat(System.nanoTime()).as("answered " + status + " within " + within).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static double failures(GatewayExtension gateway, String limit, String mode) {
        Counter counter = gateway.meterRegistry().find("agentgateway.ratelimit.store.failures").tag("limit", limit).tag("mode", mode).counter();
        return counter == null ? 0 : counter.count();
    }

    private static HttpResponse<String> send(GatewayExtension gateway, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/limited/x")).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
