package dev.agentgateway.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.TokenUsage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What models cost, in US dollars per million tokens (input, output, cached input), for budgets kept in
 * money ({@link TokenLimit.Builder#costLimit}). Costs are counted in micro-dollars (millionths of a
 * dollar), so that a budget is a whole number: {@link #usd(String)} converts.
 *
 * <pre>{@code
 * Prices.builder()
 *     .model("gpt-4o", "2.50", "10.00", "1.25")
 *     .model("claude-sonnet-4-5", "3.00", "15.00", "0.30")
 *     .build()
 * }</pre>
 *
 * <p>A model the table does not name has no price: a request for it on a route with a cost limit is
 * refused (the budget could not be kept), unless {@link Builder#defaultPrice} says what to charge.
 */
public final class Prices {
    /** One model's prices, in dollars per million tokens. */
    public record Price(BigDecimal input, BigDecimal output, BigDecimal cachedInput) {
        public Price {
            for (BigDecimal value : new BigDecimal[] {requireNonNull(input, "input"), requireNonNull(output, "output"),
                    requireNonNull(cachedInput, "cachedInput")}) {
                if (value.signum() < 0) {
                    throw new IllegalArgumentException("prices cannot be negative: " + value);
                }
            }
        }
    }

    private final Map<String, Price> models;
    private final Price fallback;

    private Prices(Builder builder) {
        this.models = Map.copyOf(builder.models);
        this.fallback = builder.fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Dollars as micro-dollars, the unit cost limits count in: {@code usd("500")} is 500,000,000. */
    public static long usd(String dollars) {
        return new BigDecimal(dollars).movePointRight(6).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The price of {@code model}, the default price, or {@code null}. */
    Price price(String model) {
        Price price = model == null ? null : models.get(model);
        return price != null ? price : fallback;
    }

    /** Whether the table names {@code model} (for bounded meter tags). */
    boolean names(String model) {
        return model != null && models.containsKey(model);
    }

    /** The cost in micro-dollars, rounded up. */
    static long cost(Price price, long inputTokens, long cachedInputTokens, long outputTokens) {
        long cached = Math.min(Math.max(0, cachedInputTokens), Math.max(0, inputTokens));
        BigDecimal micro = price.input().multiply(BigDecimal.valueOf(Math.max(0, inputTokens) - cached))
                .add(price.cachedInput().multiply(BigDecimal.valueOf(cached)))
                .add(price.output().multiply(BigDecimal.valueOf(Math.max(0, outputTokens))));
        return micro.setScale(0, RoundingMode.CEILING).longValueExact(); // $ per 1M tokens × tokens = micro-dollars
    }

    static long cost(Price price, TokenUsage usage) {
        return cost(price, usage.inputTokens(), usage.cachedInputTokens(), usage.outputTokens());
    }

    /** Builds {@link Prices}. */
    public static final class Builder {
        private final Map<String, Price> models = new LinkedHashMap<>();
        private Price fallback;

        private Builder() {
        }

        /** Prices of {@code model} (a name clients send, an alias, or a provider's model), dollars per million tokens. */
        public Builder model(String model, String input, String output, String cachedInput) {
            models.put(requireNonNull(model, "model"), new Price(new BigDecimal(input), new BigDecimal(output), new BigDecimal(cachedInput)));
            return this;
        }

        /** What to charge for a model the table does not name (by default such requests are refused). */
        public Builder defaultPrice(String input, String output, String cachedInput) {
            this.fallback = new Price(new BigDecimal(input), new BigDecimal(output), new BigDecimal(cachedInput));
            return this;
        }

        public Prices build() {
            if (models.isEmpty() && fallback == null) {
                throw new IllegalArgumentException("a price table needs at least one model or a default price");
            }
            return new Prices(this);
        }
    }
}
