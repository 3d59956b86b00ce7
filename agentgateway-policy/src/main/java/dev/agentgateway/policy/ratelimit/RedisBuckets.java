package dev.agentgateway.policy.ratelimit;

import io.micrometer.core.instrument.Counter;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@link Limit}'s buckets in Redis: each take or adjustment is one call of the bucket script (one
 * round trip, atomic in Redis). When Redis fails, the {@link FailureMode} answers: this gateway's own
 * buckets of the same limit, or a refusal.
 */
final class RedisBuckets implements Buckets {
    private static final long REFUSED_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String keyPrefix;
    private final String capacity;
    private final String quota;
    private final String windowMicros;
    private final RedisConnection redis;
    private final FailureMode mode;
    private final Buckets local;
    private final Counter failures;
    private final Runnable onClose;

    RedisBuckets(Limit limit, String keyPrefix, RedisConnection redis, FailureMode mode, Buckets local, Counter failures,
            Runnable onClose) {
        this.keyPrefix = keyPrefix + limit.name() + ":";
        this.capacity = Long.toString(limit.burst());
        this.quota = Long.toString(limit.quota());
        this.windowMicros = Long.toString(Math.max(1, limit.window().toNanos() / 1000));
        this.redis = redis;
        this.mode = mode;
        this.local = local;
        this.failures = failures;
        this.onClose = onClose;
    }

    @Override
    public TokenBucket.Outcome take(String key, long cost) {
        List<Object> answer;
        try {
            answer = redis.bucket(redisKey(key), "1", capacity, quota, windowMicros, Long.toString(cost));
        } catch (RuntimeException e) { // whatever the store did, the request gets the failure mode's answer
            fail(e);
            return mode == FailureMode.FAIL_OPEN ? local.take(key, cost)
                    : new TokenBucket.Outcome(false, 0, REFUSED_RETRY_NANOS, REFUSED_RETRY_NANOS);
        }
        redis.answered();
        return new TokenBucket.Outcome(number(answer, 0) == 1, number(answer, 1),
                TimeUnit.MICROSECONDS.toNanos(number(answer, 2)), TimeUnit.MICROSECONDS.toNanos(number(answer, 3)));
    }

    @Override
    public void adjust(String key, long delta) {
        try {
            redis.bucket(redisKey(key), "0", capacity, quota, windowMicros, Long.toString(delta));
        } catch (RuntimeException e) {
            fail(e);
            if (mode == FailureMode.FAIL_OPEN) {
                local.adjust(key, delta);
            } // failing closed, a refund or correction Redis cannot take is lost: the bucket refills anyway
            return;
        }
        redis.answered();
    }

    @Override
    public void close() {
        local.close();
        onClose.run();
    }

    /** The Redis key: prefix, limit, then the key as {@link LocalBuckets} keeps it (long keys as a digest). */
    String redisKey(String key) {
        return keyPrefix + LocalBuckets.storedKey(key);
    }

    private void fail(RuntimeException e) {
        failures.increment();
        redis.failed(e);
    }

    private static long number(List<Object> answer, int index) {
        return ((Number) answer.get(index)).longValue();
    }
}
