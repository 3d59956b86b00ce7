package dev.agentgateway.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One limit: {@code quota} per {@code window} for each {@link RateLimitKey key}, as a token bucket that
 * holds up to {@code burst} and refills continuously at {@code quota / window}. The quota counts
 * requests for a {@link RateLimit}, tokens for a token limit.
 *
 * <pre>{@code
 * Limit.of("per-user", 600, Duration.ofMinutes(1)).key(RateLimitKey.principal()).burst(50)
 * }</pre>
 *
 * @param name names the limit in metrics and in the {@code RateLimit} headers (letters, digits, {@code -_.})
 * @param quota how many requests (or tokens) a window allows
 * @param window the window the rate is given for
 * @param burst how many requests may come at once after a quiet spell (default: {@code requests})
 * @param key what the limit counts by (default: {@link RateLimitKey#global()})
 */
public record Limit(String name, long quota, Duration window, long burst, RateLimitKey key) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Limit {
        requireNonNull(name, "name");
        requireNonNull(window, "window");
        requireNonNull(key, "key");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("limit name must be 1-64 letters, digits, '-', '_' or '.': " + name);
        }
        if (quota <= 0) {
            throw new IllegalArgumentException("limit '" + name + "': the quota must be positive, was " + quota);
        }
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("limit '" + name + "': the window must be at least 1 ms, was " + window);
        }
        if (burst <= 0) {
            throw new IllegalArgumentException("limit '" + name + "': burst must be positive, was " + burst);
        }
    }

    /** {@code quota} per {@code window}, one bucket for everything, a burst of a whole window. */
    public static Limit of(String name, long quota, Duration window) {
        return new Limit(name, quota, window, quota, RateLimitKey.global());
    }

    /** The same limit, counted per {@code key}. */
    public Limit key(RateLimitKey key) {
        return new Limit(name, quota, window, burst, key);
    }

    /** The same limit with another burst. */
    public Limit burst(long burst) {
        return new Limit(name, quota, window, burst, key);
    }

    /** How long an empty bucket takes to fill up again. */
    Duration refillTime() {
        return Duration.ofNanos((long) Math.ceil((double) burst * window.toNanos() / quota));
    }
}
