package dev.agentgateway.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.TokenUsage;
import io.micrometer.observation.Observation;

/**
 * Token usage and timings of one request: follows the answer (whole or chunk by chunk), then records
 * the GenAI meters and stores {@link TokenUsage} on the exchange before the exchange completes.
 *
 * <p>When the provider reports no usage but some answer passed through (the client or the provider cut
 * a stream, a server that never reports usage), the usage stored is an estimate from what passed: a
 * client must not get tokens free by hanging up before the last event, which is the one carrying usage.
 */
final class RequestAccounting {
    private final Exchange exchange;
    private final GenAiMetrics metrics;
    private final String operation;
    private final ProviderRuntime provider;
    private final String requestModel;
    private final long start;
    private boolean firstChunkSeen;
    private JsonNode usage;
    private String responseModel;
    private boolean finished;
    private boolean answered;
    private long answeredCharacters;
    private final Observation observation;

    RequestAccounting(Exchange exchange, GenAiMetrics metrics, String operation, Attempt attempt, long start,
                      Observation observation) {
        this.exchange = exchange;
        this.metrics = metrics;
        this.operation = operation;
        this.provider = attempt.provider();
        this.requestModel = attempt.model();
        this.start = start;
        this.observation = observation;
    }

    /** Notes a chunk or a complete answer. */
    void observe(ObjectNode answer, boolean chunk) {
        if (chunk && !firstChunkSeen) {
            firstChunkSeen = true;
            metrics.timeToFirstChunk(operation, provider.config().kind().semanticName(), provider.name(), requestModel,
                    System.nanoTime() - start);
        }
        count(answer, chunk ? "delta" : "message");
        JsonNode u = answer.get("usage");
        if (u != null && u.isObject()) {
            usage = u;
        }
        String model = Json.string(answer, "model");
        if (model != null && !model.isEmpty()) {
            responseModel = model;
        }
    }

    /** Records meters and the exchange attribute, once; {@code errorType} is null on success. */
    void finish(String errorType) {
        if (finished) {
            return;
        }
        finished = true;
        String kind = provider.config().kind().semanticName();
        String answeredBy = responseModel == null ? requestModel : responseModel;
        metrics.duration(operation, kind, provider.name(), requestModel, answeredBy, errorType, System.nanoTime() - start);
        observation.lowCardinalityKeyValue("gen_ai.provider.name", kind)
                .lowCardinalityKeyValue("gen_ai.request.model", requestModel)
                .lowCardinalityKeyValue("gen_ai.response.model", answeredBy)
                .lowCardinalityKeyValue("gateway.provider", provider.name());
        if (errorType != null) {
            observation.lowCardinalityKeyValue("error.type", errorType);
        }
        if (usage == null) {
            if (answered) {
                exchange.attribute(TokenUsage.KEY, estimate(kind, answeredBy));
            }
            observation.stop();
            return;
        }
        long input = Json.number(usage, "prompt_tokens");
        long output = Json.number(usage, "completion_tokens");
        long total = Json.has(usage, "total_tokens") ? Json.number(usage, "total_tokens") : input + output;
        TokenUsage tokens = new TokenUsage(provider.name(), kind, requestModel, answeredBy, input, output, total,
                Json.number(usage.path("prompt_tokens_details"), "cached_tokens"),
                Json.number(usage.path("prompt_tokens_details"), "cache_creation_tokens"),
                Json.number(usage.path("completion_tokens_details"), "reasoning_tokens"), false);
        exchange.attribute(TokenUsage.KEY, tokens);
        metrics.tokens(operation, tokens);
        observation.highCardinalityKeyValue("gen_ai.usage.input_tokens", Long.toString(input))
                .highCardinalityKeyValue("gen_ai.usage.output_tokens", Long.toString(output));
        observation.stop();
    }

    /** Counts the characters of text, refusals, reasoning and tool calls in an answer or a chunk. */
    private void count(ObjectNode answer, String field) {
        for (JsonNode choice : answer.path("choices")) {
            JsonNode part = choice.path(field);
            answered = true;
            answeredCharacters += text(part, "content") + text(part, "refusal") + text(part, "reasoning_content");
            for (JsonNode call : part.path("tool_calls")) {
                answeredCharacters += text(call.path("function"), "name") + text(call.path("function"), "arguments");
            }
        }
    }

    private static long text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue().length() : 0;
    }

    private TokenUsage estimate(String kind, String answeredBy) {
        long input;
        try {
            input = TokenUsage.estimatePrompt(exchange); // the body is already read: the endpoint parsed it
        } catch (java.io.IOException e) {
            input = 0;
        }
        long output = TokenUsage.estimate(answeredCharacters);
        return new TokenUsage(provider.name(), kind, requestModel, answeredBy, input, output, input + output, 0, 0, 0, true);
    }
}
