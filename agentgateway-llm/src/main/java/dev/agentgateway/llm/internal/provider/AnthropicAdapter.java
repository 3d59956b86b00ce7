package dev.agentgateway.llm.internal.provider;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.http.HttpFields;

/**
 * Anthropic Messages, directly ({@code /v1/messages}) or on Vertex AI ({@code rawPredict} /
 * {@code streamRawPredict}, body without {@code model} and with {@code anthropic_version}).
 * Translation rules: reference section 8.1.
 */
public final class AnthropicAdapter implements ProviderAdapter {
    /** The version pinned upstream when translating (reference 3.1). */
    public static final String VERSION = "2023-06-01";
    /** A tool the model is forced to call when the client asks for a JSON answer. */
    static final String JSON_TOOL = "json_response";

    private final Json json;
    private final int defaultMaxTokens;
    private final String vertexPrefix;

    /**
     * @param vertexPrefix {@code /v1/projects/P/locations/L} for Anthropic on Vertex AI, or {@code null}
     *                     for Anthropic's own API
     */
    public AnthropicAdapter(Json json, int defaultMaxTokens, String vertexPrefix) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
        this.vertexPrefix = vertexPrefix;
    }

    @Override
    public UpstreamRequest chatRequest(ObjectNode request, String model, boolean stream) {
        ObjectNode body = toMessages(request, model);
        if (stream) {
            body.put("stream", true);
        }
        if (vertexPrefix != null) {
            body.remove("model");
            body.put("anthropic_version", "vertex-2023-10-16");
            String path = vertexPrefix + "/publishers/anthropic/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                    + (stream ? ":streamRawPredict" : ":rawPredict");
            return UpstreamRequest.json(path, json.bytes(body), stream);
        }
        return UpstreamRequest.json("/v1/messages", json.bytes(body), stream).header("anthropic-version", VERSION);
    }

    /**
     * A Messages request from an Anthropic client, passed on as it is (same dialect: every field kept)
     * with the provider's model name; the client's {@code anthropic-version} and {@code anthropic-beta}
     * are forwarded (reference 3.1).
     */
    public UpstreamRequest messagesRequest(ObjectNode messages, String model, boolean stream, java.util.Map<String, String> clientHeaders) {
        ObjectNode body = messages.deepCopy();
        body.put("model", model);
        if (stream) {
            body.put("stream", true);
        } else {
            body.remove("stream");
        }
        if (vertexPrefix != null) {
            body.remove("model");
            body.put("anthropic_version", "vertex-2023-10-16");
            String path = vertexPrefix + "/publishers/anthropic/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                    + (stream ? ":streamRawPredict" : ":rawPredict");
            return UpstreamRequest.json(path, json.bytes(body), stream);
        }
        UpstreamRequest request = UpstreamRequest.json("/v1/messages", json.bytes(body), stream)
                .header("anthropic-version", clientHeaders.getOrDefault("anthropic-version", VERSION));
        String beta = clientHeaders.get("anthropic-beta");
        return beta == null ? request : request.header("anthropic-beta", beta);
    }

    /** A stream translator that hands on each Anthropic event's data untranslated. */
    public StreamTranslator passthroughTranslator() {
        return new StreamTranslator() {
            @Override
            public void onEvent(SseEvent event, Consumer<ObjectNode> out) {
                JsonNode data = json.parseOrNull(event.data());
                if (data instanceof ObjectNode object && object.has("type")) {
                    out.accept(object);
                }
            }

            @Override
            public void onEnd(Consumer<ObjectNode> out) {
                // the provider's own message_stop ended the stream
            }
        };
    }

    /** The Messages request for an OpenAI chat request. */
    ObjectNode toMessages(ObjectNode request, String model) {
        OpenAiMessages.requireSingleChoice(request);
        List<ObjectNode> messages = OpenAiMessages.messages(request);
        ObjectNode body = Json.object();
        body.put("model", model);
        body.put("max_tokens", OpenAiMessages.maxTokens(request, defaultMaxTokens));

        ArrayNode system = Json.array();
        ArrayNode out = Json.array();
        for (ObjectNode message : messages) {
            String role = Json.string(message, "role");
            switch (role) {
                case "system", "developer" -> {
                    for (ObjectNode part : OpenAiMessages.parts(message.get("content"))) {
                        if ("text".equals(Json.string(part, "type"))) {
                            ObjectNode block = Json.object();
                            block.put("type", "text");
                            block.put("text", Json.string(part, "text"));
                            if (part.has("cache_control")) {
                                block.set("cache_control", part.get("cache_control"));
                            }
                            system.add(block);
                        }
                    }
                }
                case "user" -> append(out, "user", userBlocks(message));
                case "assistant" -> append(out, "assistant", assistantBlocks(message));
                case "tool" -> {
                    ObjectNode result = Json.object();
                    result.put("type", "tool_result");
                    result.put("tool_use_id", Json.string(message, "tool_call_id"));
                    result.put("content", OpenAiMessages.toolResultText(message));
                    ArrayNode blocks = Json.array();
                    blocks.add(result);
                    append(out, "user", blocks);
                }
                default -> throw LlmError.invalidParameter("messages", "unknown message role '" + role + "'");
            }
        }
        if (!system.isEmpty()) {
            boolean plain = system.size() == 1 && !system.get(0).has("cache_control");
            body.set("system", plain ? system.get(0).get("text") : system);
        }
        body.set("messages", out);

        ArrayNode stop = OpenAiMessages.stop(request);
        if (stop != null) {
            body.set("stop_sequences", stop);
        }
        Json.copy(request, "temperature", body, "temperature");
        Json.copy(request, "top_p", body, "top_p");
        Json.copy(request, "top_k", body, "top_k");
        if (Json.string(request, "user") != null) {
            body.putObject("metadata").put("user_id", Json.string(request, "user"));
        }
        translateTools(request, body);
        translateResponseFormat(request, body);
        String effort = Json.string(request, "reasoning_effort");
        if (effort != null && !effort.equals("none") && !effort.equals("minimal")) {
            int budget = switch (effort) {
                case "low" -> 1024;
                case "high" -> 16384;
                default -> 4096;
            };
            ObjectNode thinking = body.putObject("thinking");
            thinking.put("type", "enabled");
            thinking.put("budget_tokens", budget);
            if (body.get("max_tokens").asInt() <= budget) {
                body.put("max_tokens", budget + defaultMaxTokens);
            }
        }
        return body;
    }

    private static void append(ArrayNode out, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        // Anthropic wants alternating roles: merge consecutive messages of one role.
        if (!out.isEmpty() && role.equals(out.get(out.size() - 1).get("role").asText())) {
            ArrayNode previous = (ArrayNode) out.get(out.size() - 1).get("content");
            // Tool results must come first in a user message.
            if (role.equals("user") && blocks.get(0).path("type").asText().equals("tool_result")) {
                ArrayNode merged = Json.array();
                previous.forEach(b -> {
                    if (b.path("type").asText().equals("tool_result")) {
                        merged.add(b);
                    }
                });
                merged.addAll(blocks);
                previous.forEach(b -> {
                    if (!b.path("type").asText().equals("tool_result")) {
                        merged.add(b);
                    }
                });
                ((ObjectNode) out.get(out.size() - 1)).set("content", merged);
            } else {
                previous.addAll(blocks);
            }
            return;
        }
        ObjectNode message = out.addObject();
        message.put("role", role);
        message.set("content", blocks);
    }

    private ArrayNode userBlocks(ObjectNode message) {
        ArrayNode blocks = Json.array();
        for (ObjectNode part : OpenAiMessages.parts(message.get("content"))) {
            String type = Json.string(part, "type");
            if ("text".equals(type)) {
                ObjectNode block = blocks.addObject();
                block.put("type", "text");
                block.put("text", Json.string(part, "text"));
                if (part.has("cache_control")) {
                    block.set("cache_control", part.get("cache_control"));
                }
            } else if ("image_url".equals(type)) {
                String url = Json.string(part.path("image_url"), "url");
                if (url == null) {
                    url = Json.string(part, "image_url");
                }
                ObjectNode block = blocks.addObject();
                block.put("type", "image");
                ObjectNode source = block.putObject("source");
                DataUrl data = DataUrl.parse(url);
                if (data != null) {
                    source.put("type", "base64");
                    source.put("media_type", data.mediaType());
                    source.put("data", data.data());
                } else {
                    source.put("type", "url");
                    source.put("url", url);
                }
            } else {
                throw LlmError.invalidParameter("messages", "content part type '" + type + "' is not supported by Anthropic");
            }
        }
        return blocks;
    }

    private ArrayNode assistantBlocks(ObjectNode message) {
        ArrayNode blocks = Json.array();
        String text = OpenAiMessages.text(message.get("content"));
        if (!text.isEmpty()) {
            ObjectNode block = blocks.addObject();
            block.put("type", "text");
            block.put("text", text);
        }
        JsonNode calls = message.get("tool_calls");
        if (calls != null && calls.isArray()) {
            for (JsonNode call : calls) {
                ObjectNode block = blocks.addObject();
                block.put("type", "tool_use");
                block.put("id", Json.string(call, "id"));
                block.put("name", Json.string(call.path("function"), "name"));
                block.set("input", OpenAiMessages.arguments(json, Json.string(call.path("function"), "arguments")));
            }
        }
        return blocks;
    }

    private static void translateTools(ObjectNode request, ObjectNode body) {
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = body.putArray("tools");
            for (JsonNode tool : tools) {
                JsonNode function = tool.path("function");
                ObjectNode t = out.addObject();
                t.put("name", Json.string(function, "name"));
                if (Json.string(function, "description") != null) {
                    t.put("description", Json.string(function, "description"));
                }
                JsonNode parameters = function.get("parameters");
                if (parameters == null || parameters.isNull()) {
                    ObjectNode schema = Json.object();
                    schema.put("type", "object");
                    schema.putObject("properties");
                    parameters = schema;
                }
                t.set("input_schema", parameters);
            }
        }
        JsonNode choice = request.get("tool_choice");
        ObjectNode toolChoice = null;
        if (choice != null && choice.isTextual()) {
            toolChoice = Json.object();
            toolChoice.put("type", switch (choice.asText()) {
                case "required" -> "any";
                case "none" -> "none";
                default -> "auto";
            });
        } else if (choice != null && choice.isObject()) {
            toolChoice = Json.object();
            toolChoice.put("type", "tool");
            toolChoice.put("name", Json.string(choice.path("function"), "name"));
        }
        JsonNode parallel = request.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && !parallel.asBoolean() && body.has("tools")) {
            if (toolChoice == null) {
                toolChoice = Json.object();
                toolChoice.put("type", "auto");
            }
            toolChoice.put("disable_parallel_tool_use", true);
        }
        if (toolChoice != null) {
            body.set("tool_choice", toolChoice);
        }
    }

    /** JSON mode has no switch in the Messages API: force a tool whose input is the answer. */
    private static void translateResponseFormat(ObjectNode request, ObjectNode body) {
        JsonNode format = request.get("response_format");
        String type = Json.string(format, "type");
        if (type == null || type.equals("text")) {
            return;
        }
        JsonNode schema = format.path("json_schema").get("schema");
        ObjectNode inputSchema;
        if (type.equals("json_schema") && schema != null && schema.isObject()) {
            inputSchema = (ObjectNode) schema;
        } else {
            inputSchema = Json.object();
            inputSchema.put("type", "object");
        }
        ArrayNode tools = body.has("tools") ? (ArrayNode) body.get("tools") : body.putArray("tools");
        ObjectNode tool = tools.addObject();
        tool.put("name", JSON_TOOL);
        tool.put("description", "Respond with the answer as a JSON object.");
        tool.set("input_schema", inputSchema);
        ObjectNode choice = body.putObject("tool_choice");
        choice.put("type", "tool");
        choice.put("name", JSON_TOOL);
    }

    // ---- responses ---------------------------------------------------------------------------

    @Override
    public ObjectNode chatResponse(byte[] bytes, String model, HttpFields headers) {
        JsonNode response = json.parseOrNull(bytes);
        if (response == null || !response.isObject()) {
            throw LlmError.upstream(502, "api_error", "bad_upstream_response", "Anthropic's answer is not a JSON object");
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode toolCalls = Json.array();
        boolean jsonTool = false;
        for (JsonNode block : response.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText());
                case "tool_use" -> {
                    if (JSON_TOOL.equals(Json.string(block, "name"))) {
                        text.append(block.path("input").toString());
                        jsonTool = true;
                    } else {
                        toolCalls.add(Chunks.toolCall(Json.string(block, "id"), Json.string(block, "name"),
                                block.path("input").toString()));
                    }
                }
                default -> {
                    // other blocks (server tools, redacted thinking) have no OpenAI form
                }
            }
        }
        ObjectNode message = Chunks.assistant(text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString());
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        if (!reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        String finish = jsonTool ? "stop" : FinishReasons.fromAnthropic(Json.string(response, "stop_reason"));
        String responseModel = Json.string(response, "model");
        return Chunks.completion(Json.string(response, "id"), Chunks.now(), responseModel != null ? responseModel : model,
                message, finish, usage(response.path("usage"), 0));
    }

    /** OpenAI usage from Anthropic usage: prompt tokens include cache reads and writes (reference 9.2). */
    public static ObjectNode usage(JsonNode usage, long knownInput) {
        long input = Json.has(usage, "input_tokens") ? Json.number(usage, "input_tokens") : knownInput;
        long cacheRead = Json.number(usage, "cache_read_input_tokens");
        long cacheWrite = Json.number(usage, "cache_creation_input_tokens");
        long output = Json.number(usage, "output_tokens");
        long prompt = input + cacheRead + cacheWrite;
        return Chunks.usage(prompt, output, prompt + output, cacheRead, cacheWrite, 0);
    }

    @Override
    public StreamTranslator streamTranslator(ObjectNode request, String model, HttpFields headers) {
        return new AnthropicStream(json, model);
    }

    @Override
    public LlmError error(int status, HttpFields headers, byte[] body) {
        JsonNode node = json.parseOrNull(body);
        JsonNode error = node == null ? null : node.get("error");
        if (error != null && error.isObject()) {
            String type = Json.string(error, "type");
            String message = Json.string(error, "message");
            return LlmError.upstream(status, openAiType(type, status), type, message != null ? message : error.toString());
        }
        return OpenAiAdapter.openAiStyleError(json, status, body);
    }

    private static String openAiType(String anthropicType, int status) {
        if (anthropicType == null) {
            return null;
        }
        return switch (anthropicType) {
            case "invalid_request_error", "request_too_large", "not_found_error" -> "invalid_request_error";
            case "authentication_error" -> "authentication_error";
            case "permission_error" -> "permission_error";
            case "rate_limit_error" -> "rate_limit_error";
            default -> LlmError.typeFor(status == 529 ? 503 : status);
        };
    }
}
