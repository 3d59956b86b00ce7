package dev.agentgateway.llm.internal.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.http.HttpFields;

/**
 * Translates between the internal form (OpenAI Chat Completions as Jackson trees) and one provider's
 * wire format. Stateless: one instance serves every request; streams get their own
 * {@link StreamTranslator}.
 */
public interface ProviderAdapter {

    /** The request to send for an OpenAI chat request, with {@code model} as the provider's model name. */
    UpstreamRequest chatRequest(ObjectNode request, String model, boolean stream);

    /** The provider's non-streamed answer (status 2xx) as an OpenAI {@code chat.completion}. */
    ObjectNode chatResponse(byte[] body, String model, HttpFields headers);

    /** A new state machine for one streamed answer. */
    StreamTranslator streamTranslator(ObjectNode request, String model, HttpFields headers);

    /** The provider's error answer as an error in OpenAI terms, keeping its message. */
    LlmError error(int status, HttpFields headers, byte[] body);

    /** Whether streams arrive as AWS eventstream rather than server-sent events. */
    default boolean eventStream() {
        return false;
    }

    /** The request for {@code /v1/embeddings}; providers without embeddings refuse. */
    default UpstreamRequest embeddingsRequest(ObjectNode request, String model) {
        throw new LlmError(400, "invalid_request_error", "unsupported_endpoint",
                "this provider does not offer embeddings", null, false);
    }
}
