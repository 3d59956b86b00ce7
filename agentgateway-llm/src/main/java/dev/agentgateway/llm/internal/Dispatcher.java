package dev.agentgateway.llm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.ModelTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request to the targets of its model: by priority, weighted at random within a priority,
 * skipping ejected providers; fails over to the next target on 429, 5xx, timeouts and connection
 * failures (always before anything reached the client: a stream counts as answered once the provider
 * said 200), within the attempt limit and the backend's retry budget.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ModelCatalog catalog;
    private final Map<String, ProviderRuntime> providers;
    private final int maxAttempts;
    private final int ejectAfter;
    private final long ejectionNanos;
    private final RetryBudget budget;
    private final GenAiMetrics metrics;

    Dispatcher(ModelCatalog catalog, Map<String, ProviderRuntime> providers, int maxAttempts, int ejectAfter,
               long ejectionNanos, RetryBudget budget, GenAiMetrics metrics) {
        this.catalog = catalog;
        this.providers = providers;
        this.maxAttempts = maxAttempts;
        this.ejectAfter = ejectAfter;
        this.ejectionNanos = ejectionNanos;
        this.budget = budget;
        this.metrics = metrics;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    /** What a call to a provider does. */
    @FunctionalInterface
    interface Call {
        Attempt send(ProviderRuntime provider, String model);
    }

    /** Resolves {@code requestedModel} and sends, failing over as needed. */
    Attempt dispatch(String operation, String requestedModel, Call call) {
        List<ModelTarget> targets = catalog.resolve(requestedModel);
        List<ModelTarget> order = order(targets);
        if (order.isEmpty()) {
            throw new LlmError(503, "api_error", "no_healthy_provider", "No healthy provider for model '" + requestedModel
                    + "': every provider of it is ejected after repeated failures; try again later", null, false);
        }
        budget.request();
        LlmError last = null;
        int attempts = Math.min(maxAttempts, order.size());
        for (int i = 0; i < attempts; i++) {
            if (i > 0 && !budget.tryRetry()) {
                LOG.debug("retry budget spent; not failing over for model '{}'", requestedModel);
                break;
            }
            ModelTarget target = order.get(i);
            ProviderRuntime provider = providers.get(target.provider());
            long start = System.nanoTime();
            try {
                Attempt attempt = call.send(provider, target.model());
                provider.succeeded();
                return attempt;
            } catch (LlmError error) {
                metrics.duration(operation, provider.config().kind().semanticName(), provider.name(), target.model(), null,
                        error.code() != null ? error.code() : Integer.toString(error.status()), System.nanoTime() - start);
                if (!error.retryable()) {
                    throw error;
                }
                last = error;
                if (provider.failed(ejectAfter, ejectionNanos)) {
                    LOG.warn("LLM provider '{}' ejected for {} s after {} consecutive failures (last: {})", provider.name(),
                            ejectionNanos / 1_000_000_000L, ejectAfter, error.getMessage());
                }
                LOG.debug("provider '{}' failed for model '{}' ({}), attempt {} of {}", provider.name(), target.model(),
                        error.getMessage(), i + 1, attempts);
            }
        }
        throw last;
    }

    /** Healthy targets, lowest priority first, weighted random order within a priority. */
    private List<ModelTarget> order(List<ModelTarget> targets) {
        long now = System.nanoTime();
        if (targets.size() == 1) { // the common case: no priorities or weights to sort out
            ProviderRuntime provider = providers.get(targets.get(0).provider());
            return provider != null && !provider.ejected(now) ? targets : List.of();
        }
        TreeMap<Integer, List<ModelTarget>> byPriority = new TreeMap<>();
        for (ModelTarget target : targets) {
            ProviderRuntime provider = providers.get(target.provider());
            if (provider != null && !provider.ejected(now)) {
                byPriority.computeIfAbsent(target.priority(), p -> new ArrayList<>()).add(target);
            }
        }
        List<ModelTarget> order = new ArrayList<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (List<ModelTarget> level : byPriority.values()) {
            List<ModelTarget> pool = new ArrayList<>(level);
            while (!pool.isEmpty()) {
                int total = pool.stream().mapToInt(ModelTarget::weight).sum();
                int pick = random.nextInt(total);
                for (int i = 0; i < pool.size(); i++) {
                    pick -= pool.get(i).weight();
                    if (pick < 0) {
                        order.add(pool.remove(i));
                        break;
                    }
                }
            }
        }
        return order;
    }

    /** Sends a chat request. */
    Attempt chat(ObjectNode request, boolean stream) {
        String model = Json.string(request, "model");
        return dispatch("chat", model, (provider, upstreamModel) -> provider.chat(request, upstreamModel, stream));
    }

    /** Sends an embeddings request. */
    Attempt embeddings(ObjectNode request) {
        String model = Json.string(request, "model");
        return dispatch("embeddings", model, (provider, upstreamModel) -> {
            if (!provider.config().embeddings()) {
                throw new LlmError(400, "invalid_request_error", "unsupported_endpoint", "provider '" + provider.name()
                        + "' does not serve embeddings", null, false);
            }
            return provider.embeddings(request, upstreamModel);
        });
    }
}
