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
 * Request rate limits kept in this gateway's memory: token buckets keyed by anything the exchange knows
 * (the principal, a claim, the API key, the client address, the route, the MCP tool, the A2A skill, the
 * LLM model, a header). Every limit that applies must have a token; a refused request takes none.
 *
 * <pre>{@code
 * Route.builder("llm").path("/v1/*")
 *     .policy(RateLimit.builder()
 *         .limit(Limit.of("per-user", 600, Duration.ofMinutes(1)).key(RateLimitKey.principal()).burst(50))
 *         .limit(Limit.of("per-tenant", 5000, Duration.ofMinutes(1)).key(RateLimitKey.claim("tenant")))
 *         .build())
 * }</pre>
 *
 * <p>A refused request is answered 429 in the route's protocol shape (an OpenAI or Anthropic error on
 * LLM routes, a JSON-RPC error on MCP and A2A routes) with {@code Retry-After} and the IETF
 * {@code RateLimit-Policy} / {@code RateLimit} headers; allowed answers carry the headers of the limit
 * closest to refusing. Counted in {@code agentgateway.ratelimit.requests} (tags {@code limit},
 * {@code outcome} {@code allowed}/{@code limited}). With the default {@link BucketStore#local()} each
 * gateway keeps its own buckets and a limit holds per replica.
 */
public final class RateLimit implements Policy {
    private final List<Limit> limits;
    private final BucketStore store;
    private final LongSupplier nanoTime;

    private RateLimit(Builder builder) {
        this.limits = List.copyOf(builder.limits);
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
        return new BoundRateLimit(limits, store, nanoTime, gateway);
    }

    @Override
    public Response apply(Exchange exchange, Chain next) {
        throw new IllegalStateException("RateLimit is a configuration; the gateway applies it through bind()");
    }

    /** Builds a {@link RateLimit}; {@link #build()} needs at least one limit. */
    public static final class Builder {
        private final List<Limit> limits = new ArrayList<>();
        private BucketStore store = BucketStore.local();
        private LongSupplier nanoTime = System::nanoTime;

        private Builder() {
        }

        /** Adds a limit; names must differ. */
        public Builder limit(Limit limit) {
            limits.add(requireNonNull(limit, "limit"));
            return this;
        }

        /** Where buckets are kept: {@link BucketStore#local()} by default. */
        public Builder store(BucketStore store) {
            this.store = requireNonNull(store, "store");
            return this;
        }

        /** Shorthand for {@code store(BucketStore.local(maxKeys))}. */
        public Builder maxKeys(long maxKeys) {
            return store(BucketStore.local(maxKeys));
        }

        /** The time source, {@code System::nanoTime} by default (monotonic); for tests. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        public RateLimit build() {
            if (limits.isEmpty()) {
                throw new IllegalArgumentException("a RateLimit needs at least one limit");
            }
            Set<String> names = new LinkedHashSet<>();
            for (Limit limit : limits) {
                if (!names.add(limit.name())) {
                    throw new IllegalArgumentException("two limits are named '" + limit.name() + "'");
                }
            }
            return new RateLimit(this);
        }
    }
}
