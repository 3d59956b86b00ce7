package dev.agentgateway.llm;

/**
 * A prompt guard: inspects what goes to the model and what comes back, and rejects or rewrites it.
 * {@link RegexGuard} masks or rejects patterns (e-mail addresses, card numbers, your own), streams
 * included; {@link WebhookGuard} asks an HTTP service to allow, reject or rewrite a request.
 *
 * <pre>{@code
 * LlmBackend.builder()
 *     .provider(LlmProvider.openAi("openai"))
 *     .guard(RegexGuard.builder().mask(RegexGuard.EMAIL).reject(RegexGuard.CARD_NUMBER).build())
 *     .guard(WebhookGuard.of("http://127.0.0.1:9000/check"))
 *     .build();
 * }</pre>
 */
public sealed interface LlmGuard permits RegexGuard, WebhookGuard {
}
