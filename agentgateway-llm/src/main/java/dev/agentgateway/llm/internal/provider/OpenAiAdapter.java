package dev.agentgateway.llm.internal.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.http.HttpFields;

/**
 * OpenAI Chat Completions, every OpenAI-compatible server, and Azure OpenAI (deployments URL with
 * {@code api-version}, or the {@code /openai/v1} form). The same dialect as the internal form: the
 * request passes through with only the model replaced, unknown fields included; streams always ask for
 * the usage chunk so that tokens can be counted.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private final Json json;
    private final LlmProvider.Kind kind;
    private final String apiVersion;

    public OpenAiAdapter(Json json, LlmProvider.Kind kind, String apiVersion) {
        this.json = json;
        this.kind = kind;
        this.apiVersion = apiVersion;
    }

    @Override
    public UpstreamRequest chatRequest(ObjectNode request, String model, boolean stream) {
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        if (stream) {
            body.put("stream", true);
            JsonNode options = body.get("stream_options");
            ObjectNode streamOptions = options instanceof ObjectNode o ? o : body.putObject("stream_options");
            streamOptions.put("include_usage", true);
        } else {
            body.remove("stream_options");
        }
        return UpstreamRequest.json(path(model, "chat/completions"), json.bytes(body), stream);
    }

    @Override
    public UpstreamRequest embeddingsRequest(ObjectNode request, String model) {
        ObjectNode body = request.deepCopy();
        body.put("model", model);
        return UpstreamRequest.json(path(model, "embeddings"), json.bytes(body), false);
    }

    private String path(String model, String operation) {
        if (kind != LlmProvider.Kind.AZURE_OPENAI) {
            return "/" + operation;
        }
        if (apiVersion.equals("v1")) {
            return "/openai/v1/" + operation;
        }
        return "/openai/deployments/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20") + "/"
                + operation + "?api-version=" + URLEncoder.encode(apiVersion, StandardCharsets.UTF_8);
    }

    @Override
    public ObjectNode chatResponse(byte[] body, String model, HttpFields headers) {
        JsonNode node = json.parseOrNull(body);
        if (!(node instanceof ObjectNode object)) {
            throw LlmError.upstream(502, "api_error", "bad_upstream_response", "the provider's answer is not a JSON object");
        }
        return object;
    }

    @Override
    public StreamTranslator streamTranslator(ObjectNode request, String model, HttpFields headers) {
        return new StreamTranslator() {
            @Override
            public void onEvent(SseEvent event, Consumer<ObjectNode> out) {
                String data = event.data();
                if (data == null || data.isBlank() || data.trim().equals("[DONE]")) {
                    return;
                }
                JsonNode node = json.parseOrNull(data);
                if (node instanceof ObjectNode chunk) {
                    out.accept(chunk);
                } else {
                    out.accept(Chunks.error("the provider sent an event that is not JSON: " + abbreviate(data), "api_error",
                            "bad_upstream_response"));
                }
            }

            @Override
            public void onEnd(Consumer<ObjectNode> out) {
                // OpenAI sends its own usage chunk (we always ask for it).
            }
        };
    }

    @Override
    public LlmError error(int status, HttpFields headers, byte[] body) {
        return openAiStyleError(json, status, body);
    }

    /** Reads {@code {"error":{message,type,code}}}, or keeps the raw text when the body is something else. */
    static LlmError openAiStyleError(Json json, int status, byte[] body) {
        JsonNode node = json.parseOrNull(body);
        JsonNode error = node == null ? null : node.get("error");
        if (error != null && error.isObject()) {
            String message = Json.string(error, "message");
            JsonNode code = error.get("code");
            return LlmError.upstream(status, Json.string(error, "type"),
                    code == null || code.isNull() ? null : code.asText(),
                    message != null ? message : error.toString());
        }
        if (error != null && error.isTextual()) {
            return LlmError.upstream(status, null, null, error.asText());
        }
        return LlmError.upstream(status, null, null, rawMessage(status, body));
    }

    static String rawMessage(int status, byte[] body) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "the provider answered with status " + status : "the provider answered with status " + status + ": " + abbreviate(text);
    }

    static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
