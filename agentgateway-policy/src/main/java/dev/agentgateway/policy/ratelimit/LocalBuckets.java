package dev.agentgateway.policy.ratelimit;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.cache.RemovalCause;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * The buckets of one {@link Limit} in this gateway, bounded: a bucket unused for as long as it takes
 * to fill up is dropped (it would be full anyway, so nothing is lost), and at most {@code maxKeys} are
 * kept, least recently used first out. A flood of distinct keys (spoofed headers) therefore costs a
 * bounded amount of memory; the price is that keys pushed out start again with a full bucket, which
 * is counted ({@code agentgateway.ratelimit.evictions}). Long keys are kept as their SHA-256.
 */
final class LocalBuckets implements Buckets {
    private static final int MAX_KEY_LENGTH = 64;

    private final Limit limit;
    private final LongSupplier nanoTime;
    private final Cache<String, TokenBucket> buckets;

    LocalBuckets(Limit limit, long maxKeys, LongSupplier nanoTime, Runnable onEviction) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        Duration idle = limit.refillTime().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : limit.refillTime();
        this.buckets = CacheBuilder.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(idle)
                .removalListener(removal -> {
                    if (removal.getCause() == RemovalCause.SIZE) {
                        onEviction.run();
                    }
                })
                .build();
    }

    @Override
    public TokenBucket.Outcome take(String key, long cost) {
        return bucket(key).take(nanoTime.getAsLong(), cost);
    }

    @Override
    public void adjust(String key, long delta) {
        bucket(key).adjust(nanoTime.getAsLong(), delta);
    }

    private TokenBucket bucket(String key) {
        try {
            return buckets.get(storedKey(key), () -> new TokenBucket(limit, nanoTime.getAsLong()));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The key a bucket is kept under: short keys as they are, long ones as their digest (bounded memory). */
    static String storedKey(String key) {
        // marked, so that no short key can be sent that equals the digest of a long one
        return key.length() > MAX_KEY_LENGTH ? digest(key) : "=" + key;
    }

    private static String digest(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "#" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
