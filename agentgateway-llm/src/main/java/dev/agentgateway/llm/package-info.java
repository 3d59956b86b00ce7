/**
 * The LLM gateway: one OpenAI-compatible API (and the Anthropic Messages API) over OpenAI, Azure OpenAI,
 * Anthropic, Gemini, Vertex AI, Bedrock and any OpenAI-compatible server, streaming included.
 * Start with {@link dev.agentgateway.llm.LlmBackend} and {@link dev.agentgateway.llm.LlmProvider}.
 *
 * <pre>{@code
 * Route.builder("llm").pathPrefix("/v1")
 *     .backend(LlmBackend.builder()
 *         .provider(LlmProvider.anthropic("claude"))                 // ANTHROPIC_API_KEY
 *         .model("fast", "claude/claude-haiku-4-5")
 *         .build());
 * }</pre>
 */
package dev.agentgateway.llm;
