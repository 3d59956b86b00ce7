package dev.agentgateway.benchmarks.ratelimit;

import dev.agentgateway.benchmarks.proxy.FastBackend;
import dev.agentgateway.benchmarks.proxy.Wrk;
import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.policy.ratelimit.BucketStore;
import dev.agentgateway.policy.ratelimit.Limit;
import dev.agentgateway.policy.ratelimit.RateLimit;
import dev.agentgateway.policy.ratelimit.RateLimitKey;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * The Redis limit on the proxy path: one gateway, the fast backend behind three routes (no limit, a
 * limit in Redis, the same limit in memory), keyed by client address (wrk's connections all come from
 * 127.0.0.1: one hot key), wrk at saturation, the routes interleaved over two rounds.
 */
final class GatewayRoutes {
    private static final String[] NAMES = {"plain", "redis", "local"};

    private GatewayRoutes() {
    }

    static void compare(BucketStore redis, int seconds) throws Exception {
        if (!Wrk.installed()) {
            throw new IllegalStateException("wrk is needed: apt-get install wrk");
        }
        try (FastBackend backend = FastBackend.start();
             Gateway gateway = Gateway.builder().port(0).accessLog(false).meterRegistry(new SimpleMeterRegistry())
                     .route(route("plain", backend, null))
                     .route(route("redis", backend, redis))
                     .route(route("local", backend, BucketStore.local()))
                     .start()) {
            String base = "http://127.0.0.1:" + gateway.port() + "/";
            for (String name : NAMES) {
                Wrk.run(base + name + "/", 2, 64, Math.max(5, seconds / 2), null); // JIT warm-up
            }
            double[] rate = new double[NAMES.length];
            double[] p99 = new double[NAMES.length];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < NAMES.length; i++) {
                    Wrk.Result result = Wrk.run(base + NAMES[i] + "/", 2, 64, seconds, null);
                    if (!result.errors().isBlank()) {
                        throw new IllegalStateException(NAMES[i] + ": wrk saw errors: " + result.errors());
                    }
                    rate[i] += result.requestsPerSecond() / 2;
                    p99[i] += result.p99Millis() / 2;
                }
            }
            System.out.printf("%n(d) gateway routes, wrk 2 threads, 64 connections, %d s x 2 rounds%n", seconds);
            for (int i = 0; i < NAMES.length; i++) {
                System.out.printf(Locale.ROOT, "%-6s %9.0f req/s  p99 %7.3f ms  ratio to plain %.3f%n", NAMES[i], rate[i], p99[i],
                        rate[i] / rate[0]);
            }
        }
    }

    private static Route route(String name, FastBackend backend, BucketStore store) {
        Route.Builder route = Route.builder(name).pathPrefix("/" + name).backend(HttpBackend.of("http://127.0.0.1:" + backend.port()));
        return (store == null ? route : route.policy(RateLimit.builder().store(store)
                .limit(Limit.of("per-client", 1_000_000_000_000L, Duration.ofSeconds(1)).key(RateLimitKey.clientAddress())).build()))
                .build();
    }
}
