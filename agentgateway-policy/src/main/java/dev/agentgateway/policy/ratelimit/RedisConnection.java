package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.GatewayContext;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway's connection to the Redis of a {@link RedisStore}, shared by all its limits (Lettuce
 * connections are thread-safe and pipeline the commands of concurrent callers). While Redis is away,
 * commands are refused at once instead of queued (so an outage cannot pile them up), Lettuce
 * reconnects with a delay of at most a second, and the outage is logged once when it begins and once
 * when it ends. If Redis cannot be reached when the gateway starts, the gateway starts anyway and
 * keeps trying every second.
 */
final class RedisConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisConnection.class);
    private static final int MAX_PENDING_COMMANDS = 8192;
    private static final Duration RETRY = Duration.ofSeconds(1);

    /**
     * A token bucket, refilled continuously from Redis's own clock (so replicas with skewed clocks
     * agree): ARGV take ('1') or adjust ('0'), capacity, quota, window in microseconds, cost or delta.
     * A full bucket is deleted; any other expires when it would be full again. Returns allowed (1/0),
     * the whole tokens left, and the microseconds until a refused cost could pass and until full.
     */
    static final String SCRIPT = """
            local capacity = tonumber(ARGV[2])
            local rate = tonumber(ARGV[3]) / tonumber(ARGV[4])
            local amount = tonumber(ARGV[5])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
            local tokens = tonumber(state[1]) or capacity
            local updated = tonumber(state[2]) or now
            if now > updated then
              tokens = math.min(capacity, tokens + (now - updated) * rate)
              updated = now
            end
            local allowed = 1
            local retry = 0
            if ARGV[1] == '1' then
              if tokens >= amount then
                tokens = tokens - amount
              else
                allowed = 0
                retry = math.ceil((math.min(amount, capacity) - tokens) / rate)
              end
            else
              tokens = math.min(capacity, tokens + amount)
            end
            local full = math.ceil((capacity - tokens) / rate)
            if full <= 0 then
              redis.call('DEL', KEYS[1])
            else
              redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'updated', string.format('%.17g', updated))
              redis.call('PEXPIRE', KEYS[1], math.ceil(full / 1000))
            end
            return {allowed, math.max(0, math.floor(tokens)), retry, full}
            """;
    private static final String SCRIPT_SHA = sha1(SCRIPT);

    private final RedisURI uri;
    private final String display;
    private final Duration timeout;
    private final FailureMode mode;
    private final ClientResources resources;
    private final RedisClient client;
    private final AtomicBoolean outage = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock(); // connect() blocks: no carrier pinning
    private static final long WARN_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private final java.util.concurrent.atomic.AtomicLong lastWarned = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private final java.util.concurrent.atomic.AtomicLong outagesNotLogged = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean warnedThisOutage;
    private final ScheduledFuture<?> retry;
    private volatile StatefulRedisConnection<String, String> connection;
    private boolean closed; // under lock

    RedisConnection(RedisURI uri, Duration timeout, FailureMode mode, GatewayContext gateway) {
        this.uri = uri;
        this.display = display(uri);
        this.timeout = timeout;
        this.mode = mode;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), RETRY, 2, TimeUnit.MILLISECONDS)).build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(MAX_PENDING_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout.compareTo(RETRY) < 0 ? RETRY : timeout).build())
                .build());
        connect();
        this.retry = connection != null ? null : gateway.scheduler().scheduleWithFixedDelay(this::connect,
                RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the bucket script on {@code key}; throws whatever Redis or the connection did. */
    List<Object> bucket(String key, String... args) {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null) {
            throw new RedisConnectionException("not connected to " + display);
        }
        String[] keys = {key};
        try {
            return await(current.async().evalsha(SCRIPT_SHA, ScriptOutputType.MULTI, keys, args));
        } catch (RedisNoScriptException e) { // a new or restarted Redis: EVAL loads the script for the next EVALSHA
            return await(current.async().eval(SCRIPT, ScriptOutputType.MULTI, keys, args));
        }
    }

    private List<Object> await(RedisFuture<List<Object>> future) {
        return LettuceFutures.awaitOrCancel(future, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Redis answered: ends an outage. */
    void answered() {
        if (outage.get() && outage.compareAndSet(true, false) && warnedThisOutage) {
            LOG.info("Rate-limit store {} answers again; limits are shared again", display);
        }
    }

    /**
     * Redis did not answer, or answered an error: logged when an outage begins, not for each request.
     * A store that flaps (a timeout now and then between good answers) is logged at most once a
     * minute, with the number of outages in between; every failure is counted in the meters anyway.
     */
    void failed(RuntimeException failure) {
        if (!outage.compareAndSet(false, true)) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarned.get();
        warnedThisOutage = now - last >= WARN_EVERY_NANOS && lastWarned.compareAndSet(last, now);
        if (!warnedThisOutage) {
            outagesNotLogged.incrementAndGet();
            return;
        }
        long between = outagesNotLogged.getAndSet(0);
        LOG.warn("Rate-limit store {} failed ({}); until it answers, {}{}", display, failure.toString(),
                mode == FailureMode.FAIL_OPEN ? "each gateway limits on its own (fail open)" : "requests are refused (fail closed)",
                between == 0 ? "" : " (" + between + " shorter outages since the last warning)");
    }

    private void connect() {
        lock.lock();
        try {
            if (connection != null || closed) {
                return;
            }
            connection = client.connect(StringCodec.UTF8, uri);
            preload(connection);
            answered();
            if (retry != null) {
                retry.cancel(false);
            }
        } catch (RuntimeException e) {
            failed(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Loads the script once connected, so that the first check is one EVALSHA round trip within the
     * timeout, not a NOSCRIPT answer and an EVAL, while Lettuce's command path is still cold. Only a
     * head start: a check finding the script missing (a restarted Redis) still loads it.
     */
    private void preload(StatefulRedisConnection<String, String> current) {
        try {
            current.async().scriptLoad(SCRIPT).get(Math.max(timeout.toMillis(), 2000), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("loading the rate-limit script into {} failed: {}", display, e.toString());
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** The URI without its password, for logs. */
    static String display(RedisURI uri) {
        return (uri.isSsl() ? "rediss" : "redis") + "://" + uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    private static String sha1(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
