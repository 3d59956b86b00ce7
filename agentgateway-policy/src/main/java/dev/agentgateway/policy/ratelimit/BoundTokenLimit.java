package dev.agentgateway.policy.ratelimit;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** {@link TokenLimit} serving one gateway: reserve an estimate, correct it with the reported usage. */
final class BoundTokenLimit implements Policy {
    private record Counted(Limit limit, boolean money, Buckets buckets, Counter allowed, Counter limited) {
    }

    private record Reserved(Counted counted, String key, long amount, TokenBucket.Outcome outcome) {
    }

    private final List<Counted> limits = new ArrayList<>();
    private final Prices prices;
    private final long defaultMaxTokens;
    private final MeterRegistry registry;
    private final String gateway;
    private final Counter usageMissing;
    private final Counter released;

    BoundTokenLimit(List<Limit> tokenLimits, List<Limit> costLimits, Prices prices, long defaultMaxTokens, BucketStore store,
                    LongSupplier nanoTime, GatewayContext context) {
        this.prices = prices;
        this.defaultMaxTokens = defaultMaxTokens;
        this.registry = context.meterRegistry();
        this.gateway = context.name();
        for (Limit limit : tokenLimits) {
            limits.add(counted(limit, false, store, nanoTime, context));
        }
        for (Limit limit : costLimits) {
            limits.add(counted(limit, true, store, nanoTime, context));
        }
        this.usageMissing = Counter.builder("agentgateway.ratelimit.usage_missing")
                .description("LLM answers without reported usage: the reservation was kept, or corrected to what passed when a stream was cut")
                .tags("gateway", gateway).register(registry);
        this.released = Counter.builder("agentgateway.ratelimit.released")
                .description("LLM calls that failed without usage: their reservations were given back")
                .tags("gateway", gateway).register(registry);
    }

    private static Counted counted(Limit limit, boolean money, BucketStore store, LongSupplier nanoTime, GatewayContext context) {
        LimitMeters meters = LimitMeters.of(context, limit);
        return new Counted(limit, money, meters.buckets(store, limit, context, nanoTime), meters.allowed(), meters.limited());
    }

    @Override
    public Phase phase() {
        return Phase.RATE_LIMIT;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) throws Exception {
        Operation operation = exchange.attribute(Operation.KEY);
        if (operation == null || !operation.protocol().equals("llm") || !operation.action().equals("use_model")
                || operation.resourceId().isEmpty()) {
            return next.proceed(exchange);
        }
        String model = operation.resourceId();
        long input = TokenUsage.estimatePrompt(exchange);
        long output = operation.context().get("endpoint") instanceof String endpoint && endpoint.equals("embeddings") ? 0
                : operation.context().get("max_tokens") instanceof Number max && max.longValue() > 0 ? max.longValue() : defaultMaxTokens;
        long tokens = input + output;
        boolean priced = limits.stream().anyMatch(Counted::money);
        Prices.Price price = priced ? prices.price(model) : null;
        if (priced && price == null) {
            return exchange.errorResponse(GatewayException.forbidden("No price is configured for model '" + model
                    + "', so this route's cost limits cannot be kept"));
        }
        long cost = price == null ? 0 : Prices.cost(price, input, 0, output);
        List<Reserved> reserved = new ArrayList<>(limits.size());
        for (Counted counted : limits) {
            String key = counted.limit().key().of(exchange);
            if (key == null) {
                continue;
            }
            long amount = counted.money() ? cost : tokens;
            TokenBucket.Outcome outcome = counted.buckets().take(key, amount);
            if (!outcome.allowed()) {
                counted.limited().increment();
                release(reserved);
                return refuse(exchange, counted, outcome, amount);
            }
            counted.allowed().increment();
            reserved.add(new Reserved(counted, key, amount, outcome));
        }
        if (reserved.isEmpty()) {
            return next.proceed(exchange);
        }
        Response response;
        try {
            response = next.proceed(exchange);
        } catch (Exception | Error e) {
            release(reserved);
            throw e;
        }
        boolean failed = response == null || response.status() >= 400;
        exchange.onComplete(failure -> settle(exchange, reserved, failed || failure != null, model, price));
        if (!failed) {
            Reserved closest = reserved.get(0);
            for (Reserved r : reserved) {
                if (RateLimitHeaders.closerToItsEnd(r.counted().limit(), r.outcome(), closest.counted().limit(), closest.outcome())) {
                    closest = r;
                }
            }
            RateLimitHeaders.add(response, closest.counted().limit(), closest.outcome());
        }
        return response;
    }

    /**
     * Corrects each reservation to the usage reported (or to the LLM backend's estimate of what passed,
     * when a stream was cut), or gives it back when the call failed before any answer.
     */
    private void settle(Exchange exchange, List<Reserved> reserved, boolean failed, String model, Prices.Price price) {
        TokenUsage usage = exchange.attribute(TokenUsage.KEY);
        if (usage == null) {
            if (failed) {
                release(reserved);
                released.increment();
            } else {
                usageMissing.increment();
            }
            return;
        }
        if (usage.estimated()) {
            usageMissing.increment();
        }
        Prices.Price charged = price;
        if (prices != null) { // the model that answered may have its own price
            Prices.Price upstream = prices.price(usage.requestModel());
            charged = prices.names(model) || upstream == null ? price : upstream;
        }
        long tokens = usage.totalTokens();
        long cost = charged == null ? 0 : Prices.cost(charged, usage);
        String modelTag = prices != null && prices.names(model) ? model : "other";
        for (Reserved r : reserved) {
            long actual = r.counted().money() ? cost : tokens;
            r.counted().buckets().adjust(r.key(), r.amount() - actual);
            if (r.counted().money()) {
                registry.counter("agentgateway.ratelimit.cost", "gateway", gateway, "limit", r.counted().limit().name(),
                        "model", modelTag).increment(actual / 1_000_000.0);
            } else {
                registry.counter("agentgateway.ratelimit.tokens", "gateway", gateway, "limit", r.counted().limit().name(),
                        "model", modelTag).increment(actual);
            }
        }
    }

    private static void release(List<Reserved> reserved) {
        for (Reserved r : reserved) {
            r.counted().buckets().adjust(r.key(), r.amount());
        }
    }

    private static Response refuse(Exchange exchange, Counted counted, TokenBucket.Outcome outcome, long amount) {
        Limit limit = counted.limit();
        String unit = counted.money() ? "micro-dollars" : "tokens";
        boolean fits = amount <= limit.burst();
        String what = (counted.money() ? "Budget '" : "Token limit '") + limit.name() + "' exceeded (" + limit.quota() + " " + unit
                + " per " + RateLimitHeaders.seconds(limit.window().toNanos()) + " s; this request reserves " + amount + ")"
                + (fits ? "" : ": it can never fit, lower max_tokens or the prompt");
        return RateLimitHeaders.refuse(exchange, limit, outcome, what, fits);
    }

    @Override
    public void close() {
        for (Counted counted : limits) {
            counted.buckets().close();
        }
    }
}
