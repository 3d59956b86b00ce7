package dev.agentgateway.test.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentgateway.test.FakeRequest;

/**
 * A request as a fake LLM provider understood it, for responders that answer depending on it.
 *
 * @param request the raw request
 * @param body the parsed JSON body
 * @param model the model asked for (from the body or the path)
 * @param stream whether a stream was asked for
 * @param lastUserText the text of the last user message, in the provider's own format
 */
public record FakeLlmCall(FakeRequest request, JsonNode body, String model, boolean stream, String lastUserText) {
}
