package dev.agentgateway.test.llm;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeResponse;

/** What the fake providers share: a mapper, pacing, JSON answers. */
final class FakeLlmSupport {
    final ObjectMapper mapper = new ObjectMapper();

    JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    ObjectNode object() {
        return mapper.createObjectNode();
    }

    JsonNode parseArguments(String arguments) {
        try {
            return mapper.readTree(arguments);
        } catch (IOException e) {
            throw new IllegalArgumentException("tool call arguments are not JSON: " + arguments, e);
        }
    }

    void json(FakeResponse response, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        response.status(status).header("Content-Type", "application/json").header("Content-Length", Integer.toString(bytes.length));
        response.write(bytes);
    }

    static void pause(Duration interval) throws InterruptedException {
        if (!interval.isZero()) {
            Thread.sleep(interval);
        }
    }

    /**
     * The text of the last user message of an OpenAI or Anthropic request, whose {@code content} is a
     * string or an array of parts (or blocks) with {@code text}; {@code ""} when there is none.
     */
    static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                JsonNode content = message.get("content");
                if (content != null && content.isTextual()) {
                    text = content.asText();
                } else if (content != null) {
                    StringBuilder joined = new StringBuilder();
                    content.forEach(part -> joined.append(part.path("text").asText("")));
                    text = joined.toString();
                }
            }
        }
        return text;
    }

    /** The text of a JSON string field, or {@code ""}. */
    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }
}
