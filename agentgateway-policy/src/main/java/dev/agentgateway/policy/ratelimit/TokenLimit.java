package dev.agentgateway.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * LLM token limits and budgets: counted in tokens ({@link Builder#limit}) or in money through a price
 * table ({@link Builder#costLimit}), per key (user, API key, team claim, model...) over any window.
 *
 * <pre>{@code
 * Route.builder("llm").path("/v1/*")
 *     .policy(TokenLimit.builder()
 *         .limit(Limit.of("tokens-per-user", 200_000, Duration.ofMinutes(1)).key(RateLimitKey.principal()))
 *         .costLimit(Limit.of("team-monthly", Prices.usd("500"), Duration.ofDays(30)).key(RateLimitKey.claim("team")))
 *         .prices(Prices.builder().model("gpt-4o", "2.50", "10.00", "1.25").build())
 *         .build())
 * }</pre>
 *
 * <p>How a request is counted:
 * <ol>
 *   <li>before the call, an estimate is reserved: the prompt at about four bytes of request body per
 *       token, plus the request's {@code max_tokens} (or {@link Builder#defaultMaxTokens}); a request
 *       that would exceed any limit is refused with 429 in the route's shape (an OpenAI or Anthropic
 *       error), {@code Retry-After} and the {@code RateLimit} headers, and never reaches the provider;</li>
 *   <li>when the answer (or the stream's last event) reports usage, the reservation is corrected to the
 *       real count, up or down;</li>
 *   <li>a failed call (an error answer, a failure, a client gone before usage was known) gives the
 *       reservation back; a successful answer without usage keeps the estimate, and is counted
 *       ({@code agentgateway.ratelimit.usage_missing}).</li>
 * </ol>
 * Windows are rolling (a bucket that refills continuously): "500 dollars per 30 days" allows 500
 * dollars in any 30 days, not per calendar month. Successful answers carry the {@code RateLimit}
 * headers of the limit closest to its end, so clients see what is left. Only LLM requests that name a
 * model ({@code use_model}) are counted; everything else passes.
 */
public final class TokenLimit implements Policy {
    private final List<Limit> tokenLimits;
    private final List<Limit> costLimits;
    private final Prices prices;
    private final long defaultMaxTokens;
    private final BucketStore store;
    private final LongSupplier nanoTime;

    private TokenLimit(Builder builder) {
        this.tokenLimits = List.copyOf(builder.tokenLimits);
        this.costLimits = List.copyOf(builder.costLimits);
        this.prices = builder.prices;
        this.defaultMaxTokens = builder.defaultMaxTokens;
        this.store = builder.store;
        this.nanoTime = builder.nanoTime;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.RATE_LIMIT;
    }

    @Override
    public Policy bind(GatewayContext gateway) {
        return new BoundTokenLimit(tokenLimits, costLimits, prices, defaultMaxTokens, store, nanoTime, gateway);
    }

    @Override
    public Response apply(Exchange exchange, Chain next) {
        throw new IllegalStateException("TokenLimit is a configuration; the gateway applies it through bind()");
    }

    /** Builds a {@link TokenLimit}; at least one limit, and prices when a cost limit is given. */
    public static final class Builder {
        private final List<Limit> tokenLimits = new ArrayList<>();
        private final List<Limit> costLimits = new ArrayList<>();
        private Prices prices;
        private long defaultMaxTokens = 4096;
        private BucketStore store = BucketStore.local();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** A limit counted in tokens (input plus output, as the provider reports them). */
        public Builder limit(Limit limit) {
            tokenLimits.add(requireNonNull(limit, "limit"));
            return this;
        }

        /** A limit counted in micro-dollars ({@link Prices#usd}) through {@link #prices}. */
        public Builder costLimit(Limit limit) {
            costLimits.add(requireNonNull(limit, "limit"));
            return this;
        }

        /** The price table cost limits need. */
        public Builder prices(Prices prices) {
            this.prices = requireNonNull(prices, "prices");
            return this;
        }

        /** The output tokens reserved for a request without {@code max_tokens} (default 4096). */
        public Builder defaultMaxTokens(long tokens) {
            if (tokens <= 0) {
                throw new IllegalArgumentException("defaultMaxTokens must be positive, was " + tokens);
            }
            this.defaultMaxTokens = tokens;
            return this;
        }

        /** Where buckets are kept: {@link BucketStore#local()} by default. */
        public Builder store(BucketStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /** The time source, {@code System::nanoTime} by default (monotonic); for tests. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public TokenLimit build() {
            if (tokenLimits.isEmpty() && costLimits.isEmpty()) {
                throw new IllegalArgumentException("a TokenLimit needs at least one limit");
            }
            if (!costLimits.isEmpty() && prices == null) {
                throw new IllegalArgumentException("cost limits need a price table: prices(Prices.builder()...build())");
            }
            Set<String> names = new LinkedHashSet<>();
            for (List<Limit> list : List.of(tokenLimits, costLimits)) {
                for (Limit limit : list) {
                    if (!names.add(limit.name())) {
                        throw new IllegalArgumentException("two limits are named '" + limit.name() + "'");
                    }
                }
            }
            return new TokenLimit(this);
        }
    }
}
