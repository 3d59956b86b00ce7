package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

/**
 * The tokens one LLM request used, as the provider reported them, translated to one vocabulary (the
 * OpenTelemetry GenAI token types). The LLM backend stores it on the exchange under {@link #KEY} before
 * the exchange completes, so that token-based rate limits and accounting can read it in
 * {@link Exchange#onComplete}. It lives in core so that policies need not depend on the LLM module.
 *
 * <pre>{@code
 * exchange.onComplete(failure -> {
 *     TokenUsage usage = exchange.attribute(TokenUsage.KEY);
 *     if (usage != null) budget.charge(exchange.principal(), usage.totalTokens());
 * });
 * }</pre>
 *
 * @param provider the provider's name as configured (the LLM module's {@code LlmProvider#name()})
 * @param providerKind the OpenTelemetry {@code gen_ai.provider.name}, such as {@code anthropic}
 * @param requestModel the model sent upstream
 * @param responseModel the model the provider says answered (the request model when it does not say)
 * @param inputTokens prompt tokens, cached ones included
 * @param outputTokens completion tokens, reasoning included
 * @param totalTokens input plus output, or the provider's own total
 * @param cachedInputTokens input tokens read from the provider's prompt cache
 * @param cacheCreationInputTokens input tokens written to the provider's prompt cache
 * @param reasoningTokens output tokens spent on reasoning, when reported
 * @param estimated true when the provider reported no usage (a stream cut mid-way by the client or the
 *                  provider, or a provider that never reports it) and the gateway counted what passed
 *                  through instead: the prompt at about four bytes a token and the answer's text at
 *                  about four characters a token. Estimates are charged to budgets but not recorded as
 *                  {@code gen_ai.client.token.usage}, which holds only what providers reported.
 */
public record TokenUsage(String provider, String providerKind, String requestModel, String responseModel,
                         long inputTokens, long outputTokens, long totalTokens, long cachedInputTokens,
                         long cacheCreationInputTokens, long reasoningTokens, boolean estimated) {

    /** Bytes (of a prompt) or characters (of an answer) per token, roughly, for estimates. */
    public static final int CHARACTERS_PER_TOKEN = 4;

    /** The exchange attribute under which the LLM backend stores the usage of a request. */
    public static final AttributeKey<TokenUsage> KEY = AttributeKey.of("llm.token_usage", TokenUsage.class);

    public TokenUsage {
        requireNonNull(provider, "provider");
        requireNonNull(providerKind, "providerKind");
        requireNonNull(requestModel, "requestModel");
        requireNonNull(responseModel, "responseModel");
    }

    /** Tokens in {@code characters} of text (or bytes of a prompt), rounded up: the estimate's rule. */
    public static long estimate(long characters) {
        return (Math.max(0, characters) + CHARACTERS_PER_TOKEN - 1) / CHARACTERS_PER_TOKEN;
    }

    /**
     * The prompt's tokens, roughly: the request body at four bytes a token. Reads the body when its
     * length is not declared (it is kept, so others can read it again).
     */
    public static long estimatePrompt(Exchange exchange) throws java.io.IOException {
        long length = exchange.requestContentLength();
        return estimate(length >= 0 ? length : exchange.requestBodyBytes().length);
    }
}
