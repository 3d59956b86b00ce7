package dev.agentgateway.llm.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
 *
 * <p>The meters are looked up once per set of tag values and then kept: building their ids (sorted tags)
 * on every request cost more than recording. The cache is bounded; past it (a provider answering with
 * ever new model names) meters are built each time, as the registry would hold them all anyway.
 */
final class GenAiMetrics {
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92);
    private static final Duration[] FIRST_CHUNK_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    /** Distinct tag sets kept per kind of meter; beyond this they are looked up in the registry each time. */
    private static final int MAX_CACHED = 1024;

    private final MeterRegistry registry;
    private final ObservationRegistry observations;
    private final String gateway;
    private final Map<MeterKey, DistributionSummary> tokenMeters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> durationMeters = new ConcurrentHashMap<>();
    private final Map<MeterKey, Timer> firstChunkMeters = new ConcurrentHashMap<>();

    /** The tag values of one meter ({@code detail} is the token type or the error type, or null). */
    private record MeterKey(String operation, String providerKind, String provider, String requestModel,
                            String responseModel, String detail) {
    }

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
        record(operation, usage, "input", usage.inputTokens());
        record(operation, usage, "output", usage.outputTokens());
        if (usage.cachedInputTokens() > 0) {
            record(operation, usage, "cached_input", usage.cachedInputTokens());
        }
        if (usage.cacheCreationInputTokens() > 0) {
            record(operation, usage, "cache_creation_input", usage.cacheCreationInputTokens());
        }
        if (usage.reasoningTokens() > 0) {
            record(operation, usage, "reasoning", usage.reasoningTokens());
        }
    }

    private void record(String operation, TokenUsage usage, String type, long tokens) {
        MeterKey key = new MeterKey(operation, usage.providerKind(), usage.provider(), usage.requestModel(),
                usage.responseModel(), type);
        meter(tokenMeters, key, k -> DistributionSummary.builder("gen_ai.client.token.usage")
                .description("Tokens used per request, by token type")
                .baseUnit("{token}")
                .serviceLevelObjectives(TOKEN_BUCKETS)
                .tags(tags(k.operation(), k.providerKind(), k.provider(), k.requestModel(), k.responseModel()))
                .tag("gen_ai.token.type", k.detail())
                .register(registry)).record(tokens);
    }

    void duration(String operation, String providerKind, String provider, String requestModel, String responseModel,
                  String errorType, long nanos) {
        MeterKey key = new MeterKey(operation, providerKind, provider, requestModel, responseModel,
                errorType == null ? "none" : errorType);
        meter(durationMeters, key, k -> Timer.builder("gen_ai.client.operation.duration")
                .description("Time from sending a request to a provider to the end of its answer")
                .serviceLevelObjectives(DURATION_BUCKETS)
                .tags(tags(k.operation(), k.providerKind(), k.provider(), k.requestModel(), k.responseModel()))
                .tag("error.type", k.detail())
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void timeToFirstChunk(String operation, String providerKind, String provider, String requestModel, long nanos) {
        MeterKey key = new MeterKey(operation, providerKind, provider, requestModel, requestModel, null);
        meter(firstChunkMeters, key, k -> Timer.builder("gen_ai.client.operation.time_to_first_chunk")
                .description("Time from sending a streamed request to the first chunk of its answer")
                .serviceLevelObjectives(FIRST_CHUNK_BUCKETS)
                .tags(tags(k.operation(), k.providerKind(), k.provider(), k.requestModel(), k.requestModel()))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The cached meter of {@code key}, registering it on first use (uncached once the cache is full). */
    private static <M> M meter(Map<MeterKey, M> cache, MeterKey key, Function<MeterKey, M> register) {
        M meter = cache.get(key);
        if (meter != null) {
            return meter;
        }
        return cache.size() < MAX_CACHED ? cache.computeIfAbsent(key, register) : register.apply(key);
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos((long) (values[i] * 1e9));
        }
        return durations;
    }
}
