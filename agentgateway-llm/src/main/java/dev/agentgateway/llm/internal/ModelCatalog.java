package dev.agentgateway.llm.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.agentgateway.llm.ModelTarget;

/**
 * The public model names a backend serves and where each goes: aliases (to weighted, prioritised
 * targets), models declared by a provider, and {@code provider/model} names for any model of a
 * configured provider.
 */
final class ModelCatalog {
    private final Map<String, List<ModelTarget>> aliases;
    private final Map<String, ModelTarget> declared;
    private final Set<String> providers;
    private final String defaultModel;

    ModelCatalog(Map<String, List<ModelTarget>> aliases, Map<String, List<String>> providerModels, String defaultModel) {
        this.aliases = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(aliases));
        Map<String, ModelTarget> declared = new LinkedHashMap<>();
        providerModels.forEach((provider, models) -> models.forEach(model ->
                declared.putIfAbsent(model, new ModelTarget(provider, model, 1, 0))));
        this.declared = declared;
        this.providers = Set.copyOf(providerModels.keySet());
        this.defaultModel = defaultModel;
    }

    /** The targets for a requested model (the default model when {@code null}), or a 404 listing what exists. */
    List<ModelTarget> resolve(String requested) {
        List<ModelTarget> targets = find(requested);
        if (targets == null) {
            throw missing(requested, name -> true);
        }
        return targets;
    }

    /** Whether {@link #resolve} finds {@code requested}. */
    boolean exists(String requested) {
        return find(requested) != null;
    }

    /**
     * The error for a model that does not resolve, listing only the models {@code visible} lets through:
     * a caller who may not use a model gets exactly this answer too, so it cannot tell the two apart.
     */
    LlmError missing(String requested, Predicate<String> visible) {
        String model = requested == null || requested.isBlank() ? defaultModel : requested;
        List<String> listed = available().stream().filter(visible).toList();
        if (model == null) {
            return LlmError.invalidParameter("model", "'model' is required (this gateway has no default model); available models: "
                    + String.join(", ", listed));
        }
        return new LlmError(404, "invalid_request_error", "model_not_found", "The model '" + model
                + "' does not exist on this gateway. Available models: " + String.join(", ", listed)
                + " (or provider/model with a provider among " + String.join(", ", new java.util.TreeSet<>(providers)) + ")",
                "model", false);
    }

    private List<ModelTarget> find(String requested) {
        String model = requested == null || requested.isBlank() ? defaultModel : requested;
        if (model == null) {
            return null;
        }
        List<ModelTarget> alias = aliases.get(model);
        if (alias != null) {
            return alias;
        }
        ModelTarget target = declared.get(model);
        if (target != null) {
            return List.of(target);
        }
        int slash = model.indexOf('/');
        if (slash > 0 && slash < model.length() - 1 && providers.contains(model.substring(0, slash))) {
            return List.of(ModelTarget.of(model));
        }
        return null;
    }

    /** Aliases, then declared models, in configuration order. */
    List<String> available() {
        Set<String> names = new LinkedHashSet<>(aliases.keySet());
        names.addAll(declared.keySet());
        return new ArrayList<>(names);
    }

    /** The provider that owns a listed model (the first target's), for {@code owned_by}. */
    String owner(String model) {
        List<ModelTarget> alias = aliases.get(model);
        if (alias != null) {
            return alias.get(0).provider();
        }
        ModelTarget target = declared.get(model);
        return target == null ? "agentgateway" : target.provider();
    }
}
