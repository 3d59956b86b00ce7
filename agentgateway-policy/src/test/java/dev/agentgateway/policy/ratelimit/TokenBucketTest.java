package dev.agentgateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Buckets run on a monotonic clock; a clock that jumps anyway (a bad time source) neither mints nor loses tokens. */
class TokenBucketTest {
    static final long SECOND = 1_000_000_000L;
    final Limit tenPerSecond = Limit.of("t", 10, Duration.ofSeconds(1));

    @Test
    void aClockGoingBackwardsAddsNothingAndRefillingResumesFromTheLatestTime() {
        TokenBucket bucket = new TokenBucket(tenPerSecond, 100 * SECOND);
        assertThat(bucket.take(100 * SECOND, 10).allowed()).isTrue();
        TokenBucket.Outcome back = bucket.take(40 * SECOND, 1); // a minute back
        assertThat(back.allowed()).as("no tokens from negative time").isFalse();
        assertThat(back.remaining()).isZero();
        assertThat(bucket.take(100 * SECOND + SECOND / 10, 1).allowed()).as("0.1 s after the latest time: one token").isTrue();
        assertThat(bucket.take(100 * SECOND + SECOND / 10, 1).allowed()).isFalse();
    }

    @Test
    void aClockJumpingFarAheadFillsTheBucketOnlyToItsCapacity() {
        TokenBucket bucket = new TokenBucket(tenPerSecond, 0);
        assertThat(bucket.take(0, 10).allowed()).isTrue();
        TokenBucket.Outcome ahead = bucket.take(Long.MAX_VALUE / 2, 0); // centuries later
        assertThat(ahead.remaining()).isEqualTo(10);
        assertThat(bucket.take(Long.MAX_VALUE / 2, 11).allowed()).as("never more than the burst").isFalse();
    }
}
