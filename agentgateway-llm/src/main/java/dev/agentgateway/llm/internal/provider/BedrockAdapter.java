package dev.agentgateway.llm.internal.provider;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.http.HttpFields;

/**
 * Amazon Bedrock Converse ({@code /model/ID/converse}) and ConverseStream ({@code /converse-stream},
 * binary eventstream). Translation rules: reference section 8.3.
 */
public final class BedrockAdapter implements ProviderAdapter {
    private static final Set<String> IMAGE_FORMATS = Set.of("png", "jpeg", "gif", "webp");

    private final Json json;
    private final int defaultMaxTokens;

    public BedrockAdapter(Json json, int defaultMaxTokens) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public boolean eventStream() {
        return true;
    }

    /** The model id as one path segment: {@code :} and {@code /} (ARNs) percent-encoded. */
    public static String modelPath(String modelId) {
        StringBuilder out = new StringBuilder();
        for (byte b : modelId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    @Override
    public UpstreamRequest chatRequest(ObjectNode request, String model, boolean stream) {
        String path = "/model/" + modelPath(model) + (stream ? "/converse-stream" : "/converse");
        return UpstreamRequest.json(path, json.bytes(toConverse(request)), stream);
    }

    ObjectNode toConverse(ObjectNode request) {
        OpenAiMessages.requireSingleChoice(request);
        List<ObjectNode> messages = OpenAiMessages.messages(request);
        ObjectNode body = Json.object();
        ArrayNode out = body.putArray("messages");
        ArrayNode system = Json.array();
        boolean toolBlocks = false;
        for (ObjectNode message : messages) {
            String role = Json.string(message, "role");
            switch (role) {
                case "system", "developer" -> {
                    String text = OpenAiMessages.text(message.get("content"));
                    if (!text.isEmpty()) {
                        system.addObject().put("text", text);
                    }
                }
                case "user" -> Turns.append(out, "user", "content", userBlocks(message));
                case "assistant" -> {
                    ArrayNode blocks = Json.array();
                    String text = OpenAiMessages.text(message.get("content"));
                    if (!text.isEmpty()) {
                        blocks.addObject().put("text", text);
                    }
                    for (JsonNode call : message.path("tool_calls")) {
                        ObjectNode use = blocks.addObject().putObject("toolUse");
                        use.put("toolUseId", Json.string(call, "id"));
                        use.put("name", Json.string(call.path("function"), "name"));
                        use.set("input", OpenAiMessages.arguments(json, Json.string(call.path("function"), "arguments")));
                        toolBlocks = true;
                    }
                    Turns.append(out, "assistant", "content", blocks);
                }
                case "tool" -> {
                    ArrayNode blocks = Json.array();
                    ObjectNode result = blocks.addObject().putObject("toolResult");
                    result.put("toolUseId", Json.string(message, "tool_call_id"));
                    String text = OpenAiMessages.toolResultText(message);
                    JsonNode parsed = json.parseOrNull(text);
                    ObjectNode content = result.putArray("content").addObject();
                    if (parsed != null && parsed.isObject()) {
                        content.set("json", parsed);
                    } else {
                        content.put("text", text);
                    }
                    result.put("status", "success");
                    toolBlocks = true;
                    Turns.append(out, "user", "content", blocks);
                }
                default -> throw LlmError.invalidParameter("messages", "unknown message role '" + role + "'");
            }
        }
        if (!system.isEmpty()) {
            body.set("system", system);
        }
        ObjectNode inference = Json.object();
        if (Json.has(request, "max_completion_tokens") || Json.has(request, "max_tokens")) {
            inference.put("maxTokens", OpenAiMessages.maxTokens(request, defaultMaxTokens));
        }
        Json.copy(request, "temperature", inference, "temperature");
        Json.copy(request, "top_p", inference, "topP");
        ArrayNode stop = OpenAiMessages.stop(request);
        if (stop != null) {
            inference.set("stopSequences", stop);
        }
        if (!inference.isEmpty()) {
            body.set("inferenceConfig", inference);
        }
        if (Json.has(request, "top_k")) {
            body.putObject("additionalModelRequestFields").set("top_k", request.get("top_k"));
        }
        translateTools(request, body, toolBlocks);
        translateResponseFormat(request, body);
        return body;
    }

    /** Converse has no JSON mode: as for Anthropic, a forced tool whose input is the answer. */
    private static void translateResponseFormat(ObjectNode request, ObjectNode body) {
        String type = Json.string(request.get("response_format"), "type");
        if (type == null || type.equals("text")) {
            return;
        }
        JsonNode schema = request.path("response_format").path("json_schema").get("schema");
        ObjectNode inputSchema;
        if (type.equals("json_schema") && schema != null && schema.isObject()) {
            inputSchema = (ObjectNode) schema;
        } else {
            inputSchema = Json.object();
            inputSchema.put("type", "object");
        }
        ObjectNode config = body.has("toolConfig") ? (ObjectNode) body.get("toolConfig") : body.putObject("toolConfig");
        ArrayNode tools = config.has("tools") ? (ArrayNode) config.get("tools") : config.putArray("tools");
        ObjectNode spec = tools.addObject().putObject("toolSpec");
        spec.put("name", AnthropicAdapter.JSON_TOOL);
        spec.put("description", "Respond with the answer as a JSON object.");
        spec.putObject("inputSchema").set("json", inputSchema);
        config.putObject("toolChoice").putObject("tool").put("name", AnthropicAdapter.JSON_TOOL);
    }


    private static ArrayNode userBlocks(ObjectNode message) {
        ArrayNode blocks = Json.array();
        for (ObjectNode part : OpenAiMessages.parts(message.get("content"))) {
            String type = Json.string(part, "type");
            if ("text".equals(type)) {
                blocks.addObject().put("text", Json.string(part, "text"));
            } else if ("image_url".equals(type)) {
                String url = Json.string(part.path("image_url"), "url");
                DataUrl data = DataUrl.parse(url);
                if (data == null) {
                    throw LlmError.invalidParameter("messages", "Bedrock takes images as bytes only: send the image as a"
                            + " data URL (data:image/png;base64,...) rather than " + (url == null ? "no URL" : "a remote URL"));
                }
                String format = data.mediaType().startsWith("image/") ? data.mediaType().substring(6) : data.mediaType();
                format = format.equals("jpg") ? "jpeg" : format;
                if (!IMAGE_FORMATS.contains(format)) {
                    throw LlmError.invalidParameter("messages", "Bedrock takes png, jpeg, gif or webp images, not " + data.mediaType());
                }
                ObjectNode image = blocks.addObject().putObject("image");
                image.put("format", format);
                image.putObject("source").put("bytes", data.data());
            } else {
                throw LlmError.invalidParameter("messages", "content part type '" + type + "' is not supported by Bedrock");
            }
        }
        return blocks;
    }

    private static void translateTools(ObjectNode request, ObjectNode body, boolean toolBlocks) {
        JsonNode tools = request.get("tools");
        JsonNode choice = request.get("tool_choice");
        boolean none = choice != null && choice.isTextual() && choice.asText().equals("none");
        if (tools == null || !tools.isArray() || tools.isEmpty() || none && !toolBlocks) {
            return; // Bedrock has no "none": leaving the tools out is how to forbid calls
        }
        ObjectNode config = body.putObject("toolConfig");
        ArrayNode specs = config.putArray("tools");
        for (JsonNode tool : tools) {
            JsonNode function = tool.path("function");
            ObjectNode spec = specs.addObject().putObject("toolSpec");
            spec.put("name", Json.string(function, "name"));
            if (Json.string(function, "description") != null) {
                spec.put("description", Json.string(function, "description"));
            }
            JsonNode parameters = function.get("parameters");
            if (parameters == null || parameters.isNull()) {
                ObjectNode schema = Json.object();
                schema.put("type", "object");
                schema.putObject("properties");
                parameters = schema;
            }
            spec.putObject("inputSchema").set("json", parameters);
        }
        if (choice != null && choice.isTextual() && !none) {
            config.putObject("toolChoice").putObject(choice.asText().equals("required") ? "any" : "auto");
        } else if (choice != null && choice.isObject()) {
            config.putObject("toolChoice").putObject("tool").put("name", Json.string(choice.path("function"), "name"));
        }
    }

    // ---- responses ---------------------------------------------------------------------------

    @Override
    public ObjectNode chatResponse(byte[] bytes, String model, HttpFields headers) {
        JsonNode response = json.parseOrNull(bytes);
        if (response == null || !response.isObject()) {
            throw LlmError.upstream(502, "api_error", "bad_upstream_response", "Bedrock's answer is not a JSON object");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.array();
        boolean jsonTool = false;
        for (JsonNode block : response.path("output").path("message").path("content")) {
            if (block.has("text")) {
                text.append(block.path("text").asText());
            } else if (block.has("toolUse") && AnthropicAdapter.JSON_TOOL.equals(Json.string(block.get("toolUse"), "name"))) {
                text.append(json.text(block.get("toolUse").path("input")));
                jsonTool = true;
            } else if (block.has("toolUse")) {
                JsonNode use = block.get("toolUse");
                calls.add(Chunks.toolCall(Json.string(use, "toolUseId"), Json.string(use, "name"),
                        use.has("input") ? json.text(use.get("input")) : "{}"));
            } else if (block.has("reasoningContent")) {
                reasoning.append(block.path("reasoningContent").path("reasoningText").path("text").asText());
            }
        }
        ObjectNode message = Chunks.assistant(text.isEmpty() && !calls.isEmpty() ? null : text.toString());
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        String requestId = headers == null ? null : headers.get("x-amzn-requestid");
        return Chunks.completion(requestId != null ? requestId : "bedrock-" + UUID.randomUUID(), Chunks.now(), model, message,
                jsonTool ? "stop" : FinishReasons.fromBedrock(Json.string(response, "stopReason")),
                response.has("usage") ? usage(response.get("usage")) : null);
    }

    static ObjectNode usage(JsonNode usage) {
        long cacheRead = Json.number(usage, "cacheReadInputTokens");
        long cacheWrite = Json.number(usage, "cacheWriteInputTokens");
        long prompt = Json.number(usage, "inputTokens") + cacheRead + cacheWrite;
        long output = Json.number(usage, "outputTokens");
        return Chunks.usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0);
    }

    @Override
    public StreamTranslator streamTranslator(ObjectNode request, String model, HttpFields headers) {
        String requestId = headers == null ? null : headers.get("x-amzn-requestid");
        String id = requestId != null ? requestId : "bedrock-" + UUID.randomUUID();
        return new BedrockStream(json, id, model);
    }

    static String errorType(String awsType) {
        if (awsType == null) {
            return "api_error";
        }
        String lower = awsType.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("validation")) {
            return "invalid_request_error";
        }
        if (lower.startsWith("throttling")) {
            return "rate_limit_error";
        }
        if (lower.startsWith("accessdenied")) {
            return "permission_error";
        }
        if (lower.startsWith("resourcenotfound")) {
            return "invalid_request_error";
        }
        return "api_error";
    }

    @Override
    public LlmError error(int status, HttpFields headers, byte[] body) {
        String errorType = headers == null ? null : headers.get("x-amzn-ErrorType");
        if (errorType != null && errorType.contains(":")) {
            errorType = errorType.substring(0, errorType.indexOf(':'));
        }
        JsonNode node = json.parseOrNull(body);
        String message = Json.string(node, "message");
        if (message == null) {
            message = Json.string(node, "Message");
        }
        return LlmError.upstream(status, errorType == null ? null : errorType(errorType), errorType,
                message != null ? message : OpenAiAdapter.rawMessage(status, body));
    }
}
