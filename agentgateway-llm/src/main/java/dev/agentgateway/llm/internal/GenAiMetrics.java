package dev.agentgateway.llm.internal;

import java.time.Duration;

import dev.agentgateway.core.TokenUsage;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Meters with the OpenTelemetry GenAI client names (reference section 10):
 * {@code gen_ai.client.token.usage} by {@code gen_ai.token.type}, {@code gen_ai.client.operation.duration}
 * and {@code gen_ai.client.operation.time_to_first_chunk}, tagged with the provider, the requested and the
 * answering model.
 */
final class GenAiMetrics {
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    private static final Duration[] FIRST_CHUNK_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final String gateway;

    GenAiMetrics(MeterRegistry registry, ObservationRegistry observations, String gateway) {
        this.registry = registry;
        this.observations = observations;
        this.gateway = gateway;
    }

    /**
     * Starts the span of one LLM operation ({@code "chat fast"}), the OpenTelemetry GenAI client span:
     * provider, models and usage are added when known, and it stops when the answer has been sent.
     */
    Observation start(String operation, String requestedModel) {
        String model = requestedModel == null ? "" : requestedModel;
        return Observation.createNotStarted("gen_ai.client.operation", observations)
                .contextualName(operation + (model.isEmpty() ? "" : " " + model))
                .lowCardinalityKeyValue("gen_ai.operation.name", operation)
                .highCardinalityKeyValue("gateway.requested_model", model)
                .start();
    }

    /** Ends a span whose request failed before any provider answered. */
    static void failed(Observation observation, LlmError error) {
        observation.lowCardinalityKeyValue("error.type", error.code() != null ? error.code() : Integer.toString(error.status()));
        observation.error(error);
        observation.stop();
    }

    private Tags tags(String operation, String providerKind, String provider, String requestModel, String responseModel) {
        return Tags.of("gateway", gateway, "gen_ai.operation.name", operation, "gen_ai.provider.name", providerKind,
                "gateway.provider", provider, "gen_ai.request.model", requestModel,
                "gen_ai.response.model", responseModel == null ? requestModel : responseModel);
    }

    void tokens(String operation, TokenUsage usage) {
        Tags tags = tags(operation, usage.providerKind(), usage.provider(), usage.requestModel(), usage.responseModel());
        record(tags, "input", usage.inputTokens());
        record(tags, "output", usage.outputTokens());
        if (usage.cachedInputTokens() > 0) {
            record(tags, "cached_input", usage.cachedInputTokens());
        }
        if (usage.cacheCreationInputTokens() > 0) {
            record(tags, "cache_creation_input", usage.cacheCreationInputTokens());
        }
        if (usage.reasoningTokens() > 0) {
            record(tags, "reasoning", usage.reasoningTokens());
        }
    }

    private void record(Tags tags, String type, long tokens) {
        DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Tokens used per request, by token type")
                .baseUnit("{token}")
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .tags(tags).tag("gen_ai.token.type", type)
                .register(registry)
                .record(tokens);
    }

    void duration(String operation, String providerKind, String provider, String requestModel, String responseModel,
                  String errorType, long nanos) {
        Timer.builder("gen_ai.client.operation.duration")
                .description("Time from sending a request to a provider to the end of its answer")
                .serviceLevelObjectives(DURATION_BUCKETS)
                .tags(tags(operation, providerKind, provider, requestModel, responseModel))
                .tag("error.type", errorType == null ? "none" : errorType)
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    void timeToFirstChunk(String operation, String providerKind, String provider, String requestModel, long nanos) {
        Timer.builder("gen_ai.client.operation.time_to_first_chunk")
                .description("Time from sending a streamed request to the first chunk of its answer")
                .serviceLevelObjectives(FIRST_CHUNK_BUCKETS)
                .tags(tags(operation, providerKind, provider, requestModel, requestModel))
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return durations;
    }
}
