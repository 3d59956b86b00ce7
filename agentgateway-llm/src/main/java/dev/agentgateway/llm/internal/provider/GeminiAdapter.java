package dev.agentgateway.llm.internal.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.http.HttpFields;

/**
 * Google Gemini {@code generateContent} / {@code streamGenerateContent?alt=sse}, on the Gemini API
 * ({@code /v1beta/models/M}) or on Vertex AI ({@code /v1/projects/P/locations/L/publishers/google/models/M}).
 * Translation rules: reference section 8.2.
 */
public final class GeminiAdapter implements ProviderAdapter {
    /** Google's documented stand-in for a thought signature a client could not keep. */
    static final String SKIP_SIGNATURE = "skip_thought_signature_validator";

    private final Json json;
    private final String vertexPrefix;

    /** @param vertexPrefix {@code /v1/projects/P/locations/L} for Vertex AI, or {@code null} for the Gemini API */
    public GeminiAdapter(Json json, String vertexPrefix) {
        this.json = json;
        this.vertexPrefix = vertexPrefix;
    }

    @Override
    public UpstreamRequest chatRequest(ObjectNode request, String model, boolean stream) {
        String base = vertexPrefix == null
                ? "/v1beta/models/" + encode(model)
                : vertexPrefix + "/publishers/google/models/" + encode(model);
        String path = base + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        return UpstreamRequest.json(path, json.bytes(toGemini(request)), stream);
    }

    private static String encode(String model) {
        return URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
    }

    ObjectNode toGemini(ObjectNode request) {
        List<ObjectNode> messages = OpenAiMessages.messages(request);
        Map<String, String> toolNames = OpenAiMessages.toolNames(messages);
        ObjectNode body = Json.object();
        ArrayNode contents = body.putArray("contents");
        ArrayNode system = Json.array();
        for (ObjectNode message : messages) {
            String role = Json.string(message, "role");
            switch (role) {
                case "system", "developer" -> {
                    String text = OpenAiMessages.text(message.get("content"));
                    if (!text.isEmpty()) {
                        system.addObject().put("text", text);
                    }
                }
                case "user" -> Turns.append(contents, "user", "parts", userParts(message));
                case "assistant" -> Turns.append(contents, "model", "parts", modelParts(message));
                case "tool" -> {
                    String id = Json.string(message, "tool_call_id");
                    String name = toolNames.get(id);
                    if (name == null) {
                        throw LlmError.invalidParameter("messages", "tool message refers to tool call '" + id
                                + "', which no assistant message of the request made");
                    }
                    ArrayNode parts = Json.array();
                    ObjectNode response = parts.addObject().putObject("functionResponse");
                    response.put("name", name);
                    String text = OpenAiMessages.toolResultText(message);
                    JsonNode parsed = json.parseOrNull(text);
                    ObjectNode result = response.putObject("response");
                    if (parsed != null && parsed.isObject()) {
                        result.set("content", parsed);
                    } else {
                        result.put("content", text);
                    }
                    Turns.append(contents, "user", "parts", parts);
                }
                default -> throw LlmError.invalidParameter("messages", "unknown message role '" + role + "'");
            }
        }
        if (!system.isEmpty()) {
            body.putObject("systemInstruction").set("parts", system);
        }
        translateTools(request, body);
        ObjectNode config = Json.object();
        Json.copy(request, "temperature", config, "temperature");
        Json.copy(request, "top_p", config, "topP");
        Json.copy(request, "top_k", config, "topK");
        if (Json.has(request, "max_completion_tokens") || Json.has(request, "max_tokens")) {
            config.put("maxOutputTokens", OpenAiMessages.maxTokens(request, 0));
        }
        ArrayNode stop = OpenAiMessages.stop(request);
        if (stop != null) {
            config.set("stopSequences", stop);
        }
        Json.copy(request, "n", config, "candidateCount");
        Json.copy(request, "presence_penalty", config, "presencePenalty");
        Json.copy(request, "frequency_penalty", config, "frequencyPenalty");
        Json.copy(request, "seed", config, "seed");
        JsonNode format = request.get("response_format");
        String type = Json.string(format, "type");
        if ("json_object".equals(type)) {
            config.put("responseMimeType", "application/json");
        } else if ("json_schema".equals(type)) {
            config.put("responseMimeType", "application/json");
            JsonNode schema = format.path("json_schema").get("schema");
            if (schema != null && schema.isObject()) {
                config.set("responseJsonSchema", schema);
            }
        }
        String effort = Json.string(request, "reasoning_effort");
        if (effort != null) {
            int budget = switch (effort) {
                case "none", "minimal" -> 0;
                case "low" -> 1024;
                case "high" -> 24576;
                default -> 8192;
            };
            config.putObject("thinkingConfig").put("thinkingBudget", budget);
        }
        if (!config.isEmpty()) {
            body.set("generationConfig", config);
        }
        return body;
    }


    private static ArrayNode userParts(ObjectNode message) {
        ArrayNode parts = Json.array();
        for (ObjectNode part : OpenAiMessages.parts(message.get("content"))) {
            String type = Json.string(part, "type");
            if ("text".equals(type)) {
                parts.addObject().put("text", Json.string(part, "text"));
            } else if ("image_url".equals(type)) {
                String url = Json.string(part.path("image_url"), "url");
                DataUrl data = DataUrl.parse(url);
                if (data != null) {
                    ObjectNode inline = parts.addObject().putObject("inlineData");
                    inline.put("mimeType", data.mediaType());
                    inline.put("data", data.data());
                } else if (url != null) {
                    ObjectNode file = parts.addObject().putObject("fileData");
                    file.put("mimeType", mimeType(url));
                    file.put("fileUri", url);
                }
            } else {
                throw LlmError.invalidParameter("messages", "content part type '" + type + "' is not supported by Gemini");
            }
        }
        return parts;
    }

    private static String mimeType(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        if (lower.endsWith(".webp")) {
            return "image/webp";
        }
        if (lower.endsWith(".pdf")) {
            return "application/pdf";
        }
        return "image/jpeg";
    }

    private ArrayNode modelParts(ObjectNode message) {
        ArrayNode parts = Json.array();
        String text = OpenAiMessages.text(message.get("content"));
        if (!text.isEmpty()) {
            parts.addObject().put("text", text);
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode part = parts.addObject();
            ObjectNode functionCall = part.putObject("functionCall");
            functionCall.put("name", Json.string(call.path("function"), "name"));
            functionCall.set("args", OpenAiMessages.arguments(json, Json.string(call.path("function"), "arguments")));
            // Gemini 2.5+ wants the thought signature of a function call echoed; OpenAI clients cannot keep it.
            part.put("thoughtSignature", SKIP_SIGNATURE);
        }
        return parts;
    }

    private static void translateTools(ObjectNode request, ObjectNode body) {
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode declarations = body.putArray("tools").addObject().putArray("functionDeclarations");
            for (JsonNode tool : tools) {
                JsonNode function = tool.path("function");
                ObjectNode declaration = declarations.addObject();
                declaration.put("name", Json.string(function, "name"));
                if (Json.string(function, "description") != null) {
                    declaration.put("description", Json.string(function, "description"));
                }
                if (Json.has(function, "parameters")) {
                    declaration.set("parametersJsonSchema", function.get("parameters"));
                }
            }
        }
        JsonNode choice = request.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        ObjectNode config = Json.object();
        if (choice.isTextual()) {
            config.put("mode", switch (choice.asText()) {
                case "none" -> "NONE";
                case "required" -> "ANY";
                default -> "AUTO";
            });
        } else {
            config.put("mode", "ANY");
            config.putArray("allowedFunctionNames").add(Json.string(choice.path("function"), "name"));
        }
        body.putObject("toolConfig").set("functionCallingConfig", config);
    }

    // ---- responses ---------------------------------------------------------------------------

    @Override
    public ObjectNode chatResponse(byte[] bytes, String model, HttpFields headers) {
        JsonNode response = json.parseOrNull(bytes);
        if (response == null || !response.isObject()) {
            throw LlmError.upstream(502, "api_error", "bad_upstream_response", "Gemini's answer is not a JSON object");
        }
        ObjectNode completion = Json.object();
        completion.put("id", Json.string(response, "responseId") != null ? Json.string(response, "responseId") : "gemini-" + UUID.randomUUID());
        completion.put("object", "chat.completion");
        completion.put("created", Chunks.now());
        completion.put("model", Json.string(response, "modelVersion") != null ? Json.string(response, "modelVersion") : model);
        ArrayNode choices = completion.putArray("choices");
        JsonNode candidates = response.path("candidates");
        if (candidates.isEmpty()) {
            ObjectNode choice = choices.addObject();
            choice.put("index", 0);
            choice.set("message", Chunks.assistant(""));
            choice.put("finish_reason", Json.has(response.path("promptFeedback"), "blockReason") ? "content_filter" : "stop");
        }
        for (JsonNode candidate : candidates) {
            StringBuilder text = new StringBuilder();
            StringBuilder thoughts = new StringBuilder();
            ArrayNode calls = Json.array();
            for (JsonNode part : candidate.path("content").path("parts")) {
                if (part.has("functionCall")) {
                    JsonNode call = part.get("functionCall");
                    calls.add(Chunks.toolCall(callId(call), Json.string(call, "name"),
                            call.has("args") ? json.text(call.get("args")) : "{}"));
                } else if (part.has("text")) {
                    (part.path("thought").asBoolean(false) ? thoughts : text).append(part.path("text").asText());
                }
            }
            ObjectNode message = Chunks.assistant(text.isEmpty() && !calls.isEmpty() ? null : text.toString());
            if (!calls.isEmpty()) {
                message.set("tool_calls", calls);
            }
            if (!thoughts.isEmpty()) {
                message.put("reasoning_content", thoughts.toString());
            }
            ObjectNode choice = choices.addObject();
            choice.put("index", candidate.path("index").asInt(choices.size() - 1));
            choice.set("message", message);
            choice.put("finish_reason", FinishReasons.fromGemini(Json.string(candidate, "finishReason"), !calls.isEmpty()));
            choice.putNull("logprobs");
        }
        if (response.has("usageMetadata")) {
            completion.set("usage", usage(response.get("usageMetadata")));
        }
        return completion;
    }

    static String callId(JsonNode call) {
        String id = Json.string(call, "id");
        return id != null ? id : "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static ObjectNode usage(JsonNode metadata) {
        long prompt = Json.number(metadata, "promptTokenCount") + Json.number(metadata, "toolUsePromptTokenCount");
        long thoughts = Json.number(metadata, "thoughtsTokenCount");
        long output = Json.number(metadata, "candidatesTokenCount") + thoughts;
        long total = Json.number(metadata, "totalTokenCount");
        return Chunks.usage(prompt, output, total > 0 ? total : prompt + output, Json.number(metadata, "cachedContentTokenCount"),
                0, thoughts);
    }

    @Override
    public StreamTranslator streamTranslator(ObjectNode request, String model, HttpFields headers) {
        return new GeminiStream(json, model);
    }

    @Override
    public LlmError error(int status, HttpFields headers, byte[] body) {
        JsonNode node = json.parseOrNull(body);
        // Streamed errors may come as a one-element array.
        if (node != null && node.isArray() && !node.isEmpty()) {
            node = node.get(0);
        }
        JsonNode error = node == null ? null : node.get("error");
        if (error != null && error.isObject()) {
            String message = Json.string(error, "message");
            return LlmError.upstream(status, null, Json.string(error, "status"), message != null ? message : error.toString());
        }
        return LlmError.upstream(status, null, null, OpenAiAdapter.rawMessage(status, body));
    }
}
