package dev.agentgateway.llm;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Response;
import dev.agentgateway.llm.internal.LlmService;

/**
 * An LLM gateway as a {@link Backend}: clients speak OpenAI Chat Completions (or the Anthropic
 * Messages API) and the gateway speaks each provider's own API, streaming included.
 *
 * <pre>{@code
 * Gateway.builder()
 *     .route(Route.builder("llm").pathPrefix("/v1")
 *         .backend(LlmBackend.builder()
 *             .provider(LlmProvider.anthropic("claude", System.getenv("ANTHROPIC_API_KEY")))
 *             .provider(LlmProvider.openAi("openai"))                        // key from OPENAI_API_KEY
 *             .provider(LlmProvider.vllm("local", "http://127.0.0.1:8000/v1"))
 *             .model("fast", "claude/claude-haiku-4-5")                       // alias
 *             .model("smart", ModelTarget.of("claude/claude-sonnet-4-5"),
 *                             ModelTarget.of("openai/gpt-4o").priority(1))     // failover
 *             .defaultModel("fast")
 *             .build()))
 *     .start();
 * }</pre>
 *
 * <p>Endpoints below the route: {@code POST /chat/completions}, {@code GET /models},
 * {@code POST /embeddings}, {@code POST /messages} (each also with a leading {@code /v1} when the route
 * is mounted at the root). Clients name a model by alias, by a name a provider
 * {@linkplain LlmProvider.Builder#models declares}, or as {@code provider/model}.
 *
 * <p>Failures answer in the client's dialect: malformed JSON 400, an unknown model 404 listing the
 * models available, provider errors with the provider's status and message, a provider that does not
 * answer in time 504, no healthy provider 503. A failed provider (429, 5xx, timeout, connection
 * failure) is skipped for the next target of the model before anything is sent to the client; after
 * {@link Builder#ejection repeated failures} it is left out for a cool-down. Refusals by policies
 * ({@link Exchange#errorResponse(dev.agentgateway.core.GatewayException)}: a 401, a 429) answer in the
 * same dialect, with the status kept: {@code {"type":"error","error":{"type":"authentication_error",...}}}
 * on {@code /messages}, {@code {"error":{"message","type","param","code"}}} on the other endpoints.
 */
public final class LlmBackend implements Backend {
    private final String name;
    private final List<LlmProvider> providers;
    private final Map<String, List<ModelTarget>> aliases;
    private final String defaultModel;
    private final int maxAttempts;
    private final double retryBudgetRatio;
    private final int retryBudgetMinimum;
    private final int ejectAfter;
    private final Duration ejectionCooldown;
    private final List<LlmGuard> guards;

    private LlmBackend(Builder builder) {
        this.name = builder.name;
        this.providers = List.copyOf(builder.providers);
        Map<String, List<ModelTarget>> copy = new LinkedHashMap<>();
        builder.aliases.forEach((alias, targets) -> copy.put(alias, List.copyOf(targets)));
        this.aliases = java.util.Collections.unmodifiableMap(copy);
        this.defaultModel = builder.defaultModel;
        this.maxAttempts = builder.maxAttempts;
        this.retryBudgetRatio = builder.retryBudgetRatio;
        this.retryBudgetMinimum = builder.retryBudgetMinimum;
        this.ejectAfter = builder.ejectAfter;
        this.ejectionCooldown = builder.ejectionCooldown;
        this.guards = List.copyOf(builder.guards);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Exchange exchange) {
        throw new IllegalStateException("LlmBackend '" + name + "' is a configuration; the gateway serves requests through bind()");
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new LlmService(this, gateway);
    }

    @Override
    public String name() {
        return name;
    }

    public List<LlmProvider> providers() {
        return providers;
    }

    /** Aliases to their targets, in the order added. */
    public Map<String, List<ModelTarget>> aliases() {
        return aliases;
    }

    /** The model used when a request names none, or {@code null}. */
    public String defaultModel() {
        return defaultModel;
    }

    /** Providers tried at most per request (the first plus failovers). */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Failovers allowed per 10 s as a share of requests, on top of {@link #retryBudgetMinimum()}. */
    public double retryBudgetRatio() {
        return retryBudgetRatio;
    }

    /** Failovers always allowed per 10 s. */
    public int retryBudgetMinimum() {
        return retryBudgetMinimum;
    }

    /** Consecutive failures after which a provider is ejected. */
    public int ejectAfter() {
        return ejectAfter;
    }

    /** How long an ejected provider is left out. */
    public Duration ejectionCooldown() {
        return ejectionCooldown;
    }

    /** Prompt guards, in the order they run. */
    public List<LlmGuard> guards() {
        return guards;
    }

    /** Builds an {@link LlmBackend}; every setter checks its argument at once, {@link #build()} the whole. */
    public static final class Builder {
        private String name = "llm";
        private final List<LlmProvider> providers = new ArrayList<>();
        private final Map<String, List<ModelTarget>> aliases = new LinkedHashMap<>();
        private String defaultModel;
        private int maxAttempts = 3;
        private double retryBudgetRatio = 0.2;
        private int retryBudgetMinimum = 10;
        private int ejectAfter = 3;
        private Duration ejectionCooldown = Duration.ofSeconds(30);
        private final List<LlmGuard> guards = new ArrayList<>();

        private Builder() {
        }

        /** Names the backend in logs and metrics (default {@code "llm"}). */
        public Builder name(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("backend name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Adds a provider. */
        public Builder provider(LlmProvider provider) {
            requireNonNull(provider, "provider");
            for (LlmProvider existing : providers) {
                if (existing.name().equals(provider.name())) {
                    throw new IllegalArgumentException("two providers are named '" + provider.name() + "'");
                }
            }
            providers.add(provider);
            return this;
        }

        /** Adds a provider, building it (credentials are checked now). */
        public Builder provider(LlmProvider.Builder provider) {
            return provider(requireNonNull(provider, "provider").build());
        }

        /** An alias for one or more {@code provider/model} targets of equal weight and priority. */
        public Builder model(String alias, String... targets) {
            requireNonNull(targets, "targets");
            return model(alias, Arrays.stream(targets).map(ModelTarget::of).toArray(ModelTarget[]::new));
        }

        /** An alias for weighted, prioritised targets. */
        public Builder model(String alias, ModelTarget... targets) {
            requireNonNull(alias, "alias");
            requireNonNull(targets, "targets");
            if (alias.isBlank()) {
                throw new IllegalArgumentException("alias must not be blank");
            }
            if (targets.length == 0) {
                throw new IllegalArgumentException("alias '" + alias + "' needs at least one target");
            }
            if (aliases.containsKey(alias)) {
                throw new IllegalArgumentException("alias '" + alias + "' is defined twice");
            }
            for (ModelTarget target : targets) {
                requireNonNull(target, "target");
            }
            aliases.put(alias, List.of(targets));
            return this;
        }

        /** The model used when a request names none. */
        public Builder defaultModel(String model) {
            requireNonNull(model, "defaultModel");
            if (model.isBlank()) {
                throw new IllegalArgumentException("defaultModel must not be blank");
            }
            this.defaultModel = model;
            return this;
        }

        /** Providers tried at most per request, the first one included (default 3). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 10: " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * Caps failovers across requests: per 10 s at most {@code minimum + ratio × requests}
         * (default 0.2 and 10), so an outage of one provider cannot multiply the load on the others.
         */
        public Builder retryBudget(double ratio, int minimum) {
            if (!(ratio >= 0 && ratio <= 10)) {
                throw new IllegalArgumentException("retry budget ratio must be between 0 and 10: " + ratio);
            }
            if (minimum < 0) {
                throw new IllegalArgumentException("retry budget minimum must not be negative: " + minimum);
            }
            this.retryBudgetRatio = ratio;
            this.retryBudgetMinimum = minimum;
            return this;
        }

        /** Leaves a provider out for {@code cooldown} after {@code consecutiveFailures} failures in a row (default 3, 30 s). */
        public Builder ejection(int consecutiveFailures, Duration cooldown) {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("consecutiveFailures must be at least 1: " + consecutiveFailures);
            }
            this.ejectAfter = consecutiveFailures;
            this.ejectionCooldown = Checks.positive(cooldown, "cooldown");
            return this;
        }

        /** Adds a prompt guard; guards run in the order added. */
        public Builder guard(LlmGuard guard) {
            guards.add(requireNonNull(guard, "guard"));
            return this;
        }

        public LlmBackend build() {
            if (providers.isEmpty()) {
                throw new IllegalStateException("LLM backend '" + name + "' has no provider");
            }
            List<String> names = providers.stream().map(LlmProvider::name).toList();
            aliases.forEach((alias, targets) -> {
                for (ModelTarget target : targets) {
                    if (!names.contains(target.provider())) {
                        throw new IllegalStateException("LLM backend '" + name + "': alias '" + alias + "' targets provider '"
                                + target.provider() + "', which is not configured (providers: " + String.join(", ", names) + ")");
                    }
                }
            });
            if (defaultModel != null && !aliases.containsKey(defaultModel)
                    && providers.stream().noneMatch(p -> p.models().contains(defaultModel))) {
                int slash = defaultModel.indexOf('/');
                if (slash <= 0 || !names.contains(defaultModel.substring(0, slash))) {
                    throw new IllegalStateException("LLM backend '" + name + "': defaultModel '" + defaultModel
                            + "' is neither an alias, a declared model nor provider/model of a configured provider");
                }
            }
            return new LlmBackend(this);
        }
    }
}
