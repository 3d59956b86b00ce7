package dev.agentgateway.llm;

import static java.util.Objects.requireNonNull;

/**
 * Where a public model name (an alias) sends requests: a provider, the model name sent to it, and
 * the target's share of traffic within its priority level. Lower priorities are tried first; targets of
 * a lower priority take traffic only when every target before them has failed or is ejected.
 *
 * <pre>{@code
 * ModelTarget.of("claude/claude-haiku-4-5");                   // weight 1, priority 0
 * ModelTarget.of("openai/gpt-4o-mini").weight(3);
 * ModelTarget.of("local/llama-3.1-8b").priority(1);           // fallback
 * }</pre>
 *
 * @param provider the {@link LlmProvider#name()} of the provider
 * @param model the model name sent to the provider
 * @param weight the share of traffic among targets of the same priority, at least 1
 * @param priority 0 first, then 1, and so on
 */
public record ModelTarget(String provider, String model, int weight, int priority) {

    public ModelTarget {
        requireNonNull(provider, "provider");
        requireNonNull(model, "model");
        if (provider.isBlank() || model.isBlank()) {
            throw new IllegalArgumentException("a model target needs a provider and a model: " + provider + "/" + model);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1: " + weight);
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must not be negative: " + priority);
        }
    }

    /** Parses {@code "provider/model"} (the model may itself contain slashes). */
    public static ModelTarget of(String providerSlashModel) {
        requireNonNull(providerSlashModel, "target");
        int slash = providerSlashModel.indexOf('/');
        if (slash <= 0 || slash == providerSlashModel.length() - 1) {
            throw new IllegalArgumentException("a model target is written provider/model: " + providerSlashModel);
        }
        return new ModelTarget(providerSlashModel.substring(0, slash), providerSlashModel.substring(slash + 1), 1, 0);
    }

    /** This target with another weight. */
    public ModelTarget weight(int weight) {
        return new ModelTarget(provider, model, weight, priority);
    }

    /** This target with another priority. */
    public ModelTarget priority(int priority) {
        return new ModelTarget(provider, model, weight, priority);
    }

    @Override
    public String toString() {
        return provider + "/" + model;
    }
}
