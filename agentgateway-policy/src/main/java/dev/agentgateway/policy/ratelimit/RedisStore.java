package dev.agentgateway.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.GatewayContext;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Buckets kept in Redis, so that a limit holds across every replica of a service: two gateways that
 * share a Redis share the buckets of limits with the same name.
 *
 * <pre>{@code
 * BucketStore redis = RedisStore.builder()
 *     .uri("rediss://:" + password + "@redis.internal:6380/0")  // redis:// or rediss://, password in the URI
 *     .keyPrefix("agw:rl:")                                     // the default
 *     .timeout(Duration.ofMillis(50))                           // per check, the default
 *     .onFailure(FailureMode.FAIL_OPEN)                         // the default
 *     .build();
 * Route.builder("llm").pathPrefix("/v1")
 *     .policy(RateLimit.builder().store(redis)
 *         .limit(Limit.of("per-user", 600, Duration.ofMinutes(1)).key(RateLimitKey.principal()))
 *         .build())
 * }</pre>
 *
 * <p>Each check is one call of a Lua script (atomic in Redis, one round trip, {@code EVALSHA} with
 * {@code EVAL} when Redis does not know the script yet) on the hash {@code prefix + limit + ":" + key}
 * (long keys as their SHA-256, so a flood of distinct keys costs bounded memory there too), holding the
 * tokens and the time they were counted; time is Redis's own {@code TIME}, so replicas with skewed
 * clocks agree. A key expires when its bucket would be full again, so idle keys vanish.
 *
 * <p>Each gateway opens one connection when it starts (Lettuce pipelines the checks of all its
 * requests on it) and closes it when it stops. When Redis is down, slower than the timeout, or answers
 * an error (such as {@code NOAUTH}), the {@link FailureMode} decides, never a wait beyond the timeout:
 * commands are refused at once while disconnected rather than queued. Each failed call is counted in
 * {@code agentgateway.ratelimit.store.failures} (tags {@code gateway}, {@code limit}, {@code mode}) and
 * an outage is logged once, when it begins. The connection comes back by itself (reconnecting at
 * least every second), and so do shared limits. A gateway that starts while Redis is unreachable starts
 * anyway, in the failure mode, and keeps trying to connect.
 */
public final class RedisStore extends BucketStore {
    /** Buckets of the local fallback ({@link FailureMode#FAIL_OPEN}), per limit and gateway. */
    private static final long FALLBACK_MAX_KEYS = 100_000;

    private record Shared(RedisConnection connection, int users) {
    }

    private final RedisURI uri;
    private final String keyPrefix;
    private final Duration timeout;
    private final FailureMode onFailure;
    private final ReentrantLock lock = new ReentrantLock(); // opening a connection blocks
    private final Map<GatewayContext, Shared> connections = new IdentityHashMap<>();

    private RedisStore(Builder builder) {
        this.uri = builder.uri;
        this.keyPrefix = builder.keyPrefix;
        this.timeout = builder.timeout;
        this.onFailure = builder.onFailure;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    Buckets buckets(Limit limit, GatewayContext gateway, LongSupplier nanoTime, Runnable onEviction) {
        RedisConnection connection = acquire(gateway);
        Counter failures = Counter.builder("agentgateway.ratelimit.store.failures")
                .description("Rate-limit checks the shared store could not answer, by limit and failure mode")
                .tags("gateway", gateway.name(), "limit", limit.name(), "mode", onFailure.name().toLowerCase(Locale.ROOT))
                .register(gateway.meterRegistry());
        return new RedisBuckets(limit, keyPrefix, connection, onFailure,
                new LocalBuckets(limit, FALLBACK_MAX_KEYS, nanoTime, onEviction), failures, () -> release(gateway));
    }

    /** The gateway's connection, opened by the first of its limits. */
    private RedisConnection acquire(GatewayContext gateway) {
        lock.lock();
        try {
            Shared shared = connections.get(gateway);
            if (shared == null) {
                shared = new Shared(new RedisConnection(uri, timeout, onFailure, gateway), 0);
            }
            connections.put(gateway, new Shared(shared.connection(), shared.users() + 1));
            return shared.connection();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the gateway's connection with the last of its limits (when the gateway stops). */
    private void release(GatewayContext gateway) {
        lock.lock();
        try {
            Shared shared = connections.get(gateway);
            if (shared == null) {
                return;
            }
            if (shared.users() > 1) {
                connections.put(gateway, new Shared(shared.connection(), shared.users() - 1));
            } else {
                connections.remove(gateway);
                shared.connection().close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "redis(" + RedisConnection.display(uri) + ", prefix " + keyPrefix + ", timeout " + timeout.toMillis() + " ms, "
                + onFailure + ")";
    }

    /** Builds a {@link RedisStore}; {@link #uri(String)} is required. */
    public static final class Builder {
        private RedisURI uri;
        private String keyPrefix = "agw:rl:";
        private Duration timeout = Duration.ofMillis(50);
        private FailureMode onFailure = FailureMode.FAIL_OPEN;

        private Builder() {
        }

        /**
         * Where Redis is: {@code redis://host:port/database}, or {@code rediss://} for TLS; a password
         * (and user) go in the URI: {@code redis://:password@host} or {@code redis://user:password@host}.
         */
        public Builder uri(String uri) {
            requireNonNull(uri, "uri");
            if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
                throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://: " + redacted(uri));
            }
            RedisURI parsed;
            boolean hasHost;
            try {
                hasHost = new URI(uri).getHost() != null; // none either where the port is not a number
                parsed = RedisURI.create(uri);
            } catch (URISyntaxException | RuntimeException e) {
                throw new IllegalArgumentException("Redis URI is not valid (" + e.getMessage().replace(uri, redacted(uri)) + "): "
                        + redacted(uri), e);
            }
            if (!hasHost) {
                throw new IllegalArgumentException("Redis URI names no host and port: " + redacted(uri));
            }
            this.uri = parsed;
            return this;
        }

        /** What every key starts with, {@code agw:rl:} by default (several services may share a Redis). */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = requireNonNull(keyPrefix, "keyPrefix");
            return this;
        }

        /** How long one check may wait for Redis before the failure mode answers; 50 ms by default. */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("Redis timeout must be positive, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** What a check does when Redis cannot answer: {@link FailureMode#FAIL_OPEN} by default. */
        public Builder onFailure(FailureMode onFailure) {
            this.onFailure = requireNonNull(onFailure, "onFailure");
            return this;
        }

        public RedisStore build() {
            if (uri == null) {
                throw new IllegalArgumentException("a RedisStore needs a uri, such as redis://127.0.0.1:6379/0");
            }
            return new RedisStore(this);
        }

        /** The URI without what could be a password (between "//" and "@"). */
        private static String redacted(String uri) {
            int scheme = uri.indexOf("//");
            int at = uri.lastIndexOf('@');
            return scheme >= 0 && at > scheme ? uri.substring(0, scheme + 2) + "***" + uri.substring(at) : uri;
        }
    }
}
