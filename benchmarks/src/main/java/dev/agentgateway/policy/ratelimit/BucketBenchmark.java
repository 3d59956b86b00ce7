package dev.agentgateway.policy.ratelimit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw bucket check under {@code LocalRateLimitBenchmark}: one {@link TokenBucket#take}, and one
 * take through the bounded key map ({@link LocalBuckets}) of one hot key. The classes are the package's
 * own (not public API), so this benchmark lives in their package; the gateway's jar is not sealed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BucketBenchmark {
    private TokenBucket bucket;
    private LocalBuckets buckets;

    @Setup
    public void setUp() {
        Limit limit = Limit.of("raw", 1_000_000_000_000L, Duration.ofSeconds(1));
        bucket = new TokenBucket(limit, System.nanoTime());
        buckets = new LocalBuckets(limit, 100_000, System::nanoTime, () -> { });
    }

    @Benchmark
    public TokenBucket.Outcome tokenBucket() {
        return bucket.take(System.nanoTime(), 1);
    }

    @Benchmark
    public TokenBucket.Outcome localBuckets() {
        return buckets.take("apikey:alice", 1);
    }
}
