package dev.agentgateway.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgateway.core.TokenUsage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Token limits and price tables refuse bad configuration at build time, and count money exactly. */
class TokenLimitConfigTest {
    private static final Limit TOKENS = Limit.of("tokens", 1000, Duration.ofMinutes(1));

    @Test
    void badConfigurationFailsAtOnce() {
        assertThatIllegalArgumentException().isThrownBy(() -> TokenLimit.builder().build()).withMessageContaining("at least one limit");
        assertThatIllegalArgumentException().isThrownBy(() -> TokenLimit.builder().costLimit(Limit.of("spend", Prices.usd("5"), Duration.ofDays(1))).build())
                .withMessageContaining("price table");
        assertThatIllegalArgumentException().isThrownBy(() -> TokenLimit.builder().limit(TOKENS).limit(TOKENS).build())
                .withMessageContaining("two limits are named 'tokens'");
        assertThatIllegalArgumentException().isThrownBy(() -> TokenLimit.builder().defaultMaxTokens(0)).withMessageContaining("positive");
        assertThatIllegalArgumentException().isThrownBy(() -> Prices.builder().build()).withMessageContaining("at least one model");
        assertThatIllegalArgumentException().isThrownBy(() -> Prices.builder().model("m", "-1", "1", "1")).withMessageContaining("negative");
        assertThatThrownBy(() -> Prices.builder().model("m", "one dollar", "1", "1")).isInstanceOf(NumberFormatException.class);
        assertThat(TokenLimit.builder().limit(TOKENS).build()).isNotNull();
    }

    @Test
    void moneyIsCountedInMicroDollarsRoundedUp() {
        assertThat(Prices.usd("500")).isEqualTo(500_000_000L);
        assertThat(Prices.usd("0.0000001")).as("a fraction of a micro-dollar counts as one").isEqualTo(1);
        Prices prices = Prices.builder().model("gpt-4o", "2.50", "10.00", "1.25").build();
        Prices.Price price = prices.price("gpt-4o");
        // 1000 input of which 400 cached, 200 output: 600 × 2.50 + 400 × 1.25 + 200 × 10 micro-dollars
        assertThat(Prices.cost(price, 1000, 400, 200)).isEqualTo(1500 + 500 + 2000);
        assertThat(Prices.cost(price, new TokenUsage("p", "openai", "gpt-4o", "gpt-4o", 1000, 200, 1200, 400, 0, 0, false))).isEqualTo(4000);
        assertThat(Prices.cost(price, 10, 50, 0)).as("cached never exceeds input").isEqualTo(13);
        assertThat(prices.price("other")).isNull();
        assertThat(Prices.builder().model("a", "1", "1", "1").defaultPrice("3", "4", "0").build().price("other").input()).isEqualByComparingTo("3");
    }

    @Test
    void aBucketCanGoIntoDebtAndRefusesUntilItRefills() {
        TokenBucket bucket = new TokenBucket(Limit.of("t", 100, Duration.ofSeconds(100)), 0); // one token a second
        assertThat(bucket.take(0, 60).allowed()).isTrue();
        bucket.adjust(0, 60 - 150); // the call used 150, not 60
        TokenBucket.Outcome refused = bucket.take(0, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterNanos()).as("from -50 to 1 token").isEqualTo(Duration.ofSeconds(51).toNanos());
        assertThat(bucket.take(Duration.ofSeconds(51).toNanos(), 1).allowed()).isTrue();
        TokenBucket.Outcome tooBig = bucket.take(Duration.ofSeconds(51).toNanos(), 101);
        assertThat(tooBig.allowed()).isFalse();
        bucket.adjust(Duration.ofSeconds(1000).toNanos(), 1_000_000);
        assertThat(bucket.take(Duration.ofSeconds(1000).toNanos(), 100).remaining()).as("never above the capacity").isZero();
    }

    @Test
    void theLimitClosestToItsEndIsFoundWithoutOverflowBesideALargeBudget() {
        Limit budget = Limit.of("budget", Prices.usd("1000000"), Duration.ofDays(30)); // 10^12 micro-dollars
        Limit tokens = Limit.of("tokens", 1_000_000_000, Duration.ofDays(1));
        TokenBucket.Outcome halfLeft = new TokenBucket.Outcome(true, 500_000_000_000L, 0, 0);
        TokenBucket.Outcome tenthLeft = new TokenBucket.Outcome(true, 100_000_000, 0, 0);
        // remaining × the other's quota is 5 × 10^20 here: past Long.MAX_VALUE
        assertThat(RateLimitHeaders.closerToItsEnd(tokens, tenthLeft, budget, halfLeft)).isTrue();
        assertThat(RateLimitHeaders.closerToItsEnd(budget, halfLeft, tokens, tenthLeft)).isFalse();
    }
}
