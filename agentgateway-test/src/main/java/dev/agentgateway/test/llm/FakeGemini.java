package dev.agentgateway.test.llm;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A fake Google Gemini server (Gemini API and Vertex AI paths): {@code .../models/M:generateContent}
 * answered with a {@code GenerateContentResponse}, {@code ...:streamGenerateContent?alt=sse} with one
 * response chunk per server-sent event (usage in the last), errors in Google's
 * {@code {"error":{"code","message","status"}}} shape. Requests need {@code x-goog-api-key} (or
 * {@code ?key=}) or a bearer token, as Google's endpoints do.
 *
 * <pre>{@code
 * FakeUpstream gemini = FakeUpstream.of(FakeGemini.replying(FakeReply.text("Hello!")));
 * }</pre>
 */
public final class FakeGemini implements FakeHandler {
    private final Function<FakeLlmCall, FakeReply> responder;
    private final FakeLlmSupport support = new FakeLlmSupport();

    private FakeGemini(Function<FakeLlmCall, FakeReply> responder) {
        this.responder = requireNonNull(responder, "responder");
    }

    public static FakeGemini replying(FakeReply reply) {
        requireNonNull(reply, "reply");
        return new FakeGemini(call -> reply);
    }

    public static FakeGemini responder(Function<FakeLlmCall, FakeReply> responder) {
        return new FakeGemini(responder);
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        String path = request.path();
        int models = path.lastIndexOf("/models/");
        int colon = path.lastIndexOf(':');
        if (models < 0 || colon < models) {
            error(response, 404, "NOT_FOUND", "The requested URL " + path + " was not found on this server.");
            return;
        }
        String model = java.net.URLDecoder.decode(path.substring(models + 8, colon), java.nio.charset.StandardCharsets.UTF_8);
        String method = path.substring(colon + 1);
        boolean stream = method.equals("streamGenerateContent");
        if (!stream && !method.equals("generateContent")) {
            error(response, 404, "NOT_FOUND", "Method " + method + " is not served by this fake");
            return;
        }
        String query = request.query() == null ? "" : request.query();
        if (request.header("x-goog-api-key") == null && !query.contains("key=") && request.header("Authorization") == null) {
            error(response, 403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
            return;
        }
        JsonNode body = support.parse(request.body());
        if (body == null || !body.isObject() || !body.path("contents").isArray()) {
            error(response, 400, "INVALID_ARGUMENT", "Invalid JSON payload received. 'contents' is required.");
            return;
        }
        FakeReply reply = responder.apply(new FakeLlmCall(request, body, model, stream, lastUserText(body)));
        if (reply.status() != 200) {
            error(response, reply.status(), status(reply.status()), reply.errorMessage());
            return;
        }
        String answering = reply.model() != null ? reply.model() : model;
        if (stream) {
            response.status(200).header("Content-Type", "text/event-stream");
            var pieces = reply.pieces();
            for (int i = 0; i < pieces.size(); i++) {
                FakeLlmSupport.pause(reply.interval());
                boolean last = i == pieces.size() - 1 && reply.toolCalls().isEmpty();
                send(response, chunk(answering, reply, pieces.get(i), false, last));
            }
            if (!reply.toolCalls().isEmpty() || pieces.isEmpty()) {
                send(response, chunk(answering, reply, null, true, true));
            }
        } else {
            support.json(response, 200, chunk(answering, reply, reply.text(), true, true));
        }
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode content : body.path("contents")) {
            if ("user".equals(content.path("role").asText("user"))) {
                StringBuilder joined = new StringBuilder();
                content.path("parts").forEach(part -> joined.append(part.path("text").asText("")));
                if (!joined.isEmpty()) {
                    text = joined.toString();
                }
            }
        }
        return text;
    }

    private void send(FakeResponse response, ObjectNode chunk) throws Exception {
        response.write("data: " + support.mapper.writeValueAsString(chunk) + "\r\n\r\n");
    }

    private ObjectNode chunk(String model, FakeReply reply, String text, boolean calls, boolean last) {
        ObjectNode root = support.object();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        if (text != null) {
            parts.addObject().put("text", text);
        }
        if (calls) {
            for (FakeReply.ToolCall call : reply.toolCalls()) {
                ObjectNode part = parts.addObject();
                ObjectNode functionCall = part.putObject("functionCall");
                functionCall.put("name", call.name());
                functionCall.set("args", support.parseArguments(call.arguments()));
                part.put("thoughtSignature", "c2lnbmF0dXJl");
            }
        }
        content.put("role", "model");
        if (last) {
            candidate.put("finishReason", reply.isTruncated() ? "MAX_TOKENS" : "STOP");
        }
        candidate.put("index", 0);
        if (last) {
            ObjectNode usage = root.putObject("usageMetadata");
            usage.put("promptTokenCount", reply.inputTokens());
            usage.put("candidatesTokenCount", reply.outputTokens());
            usage.put("totalTokenCount", reply.inputTokens() + reply.outputTokens());
            if (reply.cachedTokens() > 0) {
                usage.put("cachedContentTokenCount", reply.cachedTokens());
            }
            ArrayNode details = usage.putArray("promptTokensDetails");
            ObjectNode detail = details.addObject();
            detail.put("modality", "TEXT");
            detail.put("tokenCount", reply.inputTokens());
        }
        root.put("modelVersion", model);
        root.put("responseId", "fake-response-1");
        return root;
    }

    private static String status(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
    }

    private void error(FakeResponse response, int code, String status, String message) throws Exception {
        ObjectNode root = support.object();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        support.json(response, code, root);
    }
}
