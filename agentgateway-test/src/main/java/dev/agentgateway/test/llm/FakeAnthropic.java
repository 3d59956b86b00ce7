package dev.agentgateway.test.llm;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A fake Anthropic Messages server: {@code POST /v1/messages} (and Anthropic on Vertex AI,
 * {@code ...:rawPredict} / {@code ...:streamRawPredict}) answered with a {@code message}, or with the
 * named server-sent events {@code message_start}, {@code content_block_*}, {@code ping},
 * {@code message_delta}, {@code message_stop} when {@code "stream": true}; errors as
 * {@code {"type":"error","error":{...}}}. Requests without {@code max_tokens} or without an
 * {@code anthropic-version} (outside Vertex) are refused as Anthropic refuses them.
 *
 * <pre>{@code
 * FakeUpstream anthropic = FakeUpstream.of(FakeAnthropic.replying(FakeReply.text("Hello!").usage(12, 2)));
 * }</pre>
 */
public final class FakeAnthropic implements FakeHandler {
    private final Function<FakeLlmCall, FakeReply> responder;
    private final FakeLlmSupport support = new FakeLlmSupport();

    private FakeAnthropic(Function<FakeLlmCall, FakeReply> responder) {
        this.responder = requireNonNull(responder, "responder");
    }

    public static FakeAnthropic replying(FakeReply reply) {
        requireNonNull(reply, "reply");
        return new FakeAnthropic(call -> reply);
    }

    public static FakeAnthropic responder(Function<FakeLlmCall, FakeReply> responder) {
        return new FakeAnthropic(responder);
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        boolean vertex = request.path().contains(":rawPredict") || request.path().contains(":streamRawPredict");
        JsonNode body = support.parse(request.body());
        if (body == null || !body.isObject()) {
            error(response, 400, "invalid_request_error", "There was an issue with the format or content of your request.");
            return;
        }
        if (!vertex && request.header("anthropic-version") == null) {
            error(response, 400, "invalid_request_error", "anthropic-version: header is required");
            return;
        }
        if (!body.has("max_tokens")) {
            error(response, 400, "invalid_request_error", "max_tokens: Field required");
            return;
        }
        boolean stream = vertex ? request.path().contains(":streamRawPredict") : body.path("stream").asBoolean(false);
        String model = vertex ? request.path().replaceAll(".*/models/([^:]+):.*", "$1") : FakeLlmSupport.text(body, "model");
        FakeReply reply = responder.apply(new FakeLlmCall(request, body, model, stream, FakeLlmSupport.lastUserText(body)));
        if (reply.status() != 200) {
            error(response, reply.status(), errorType(reply.status()), reply.errorMessage());
            return;
        }
        String answering = reply.model() != null ? reply.model() : model;
        if (stream) {
            stream(response, answering, reply);
        } else {
            support.json(response, 200, message(answering, reply));
        }
    }

    private static String errorType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    private void error(FakeResponse response, int status, String type, String message) throws Exception {
        ObjectNode root = support.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        error.put("message", message);
        response.header("request-id", "req_fake");
        support.json(response, status, root);
    }

    private static String stopReason(FakeReply reply) {
        return reply.isTruncated() ? "max_tokens" : reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
    }

    private ObjectNode usage(FakeReply reply, boolean withOutput) {
        ObjectNode usage = support.object();
        usage.put("input_tokens", reply.inputTokens() - reply.cachedTokens());
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", reply.cachedTokens());
        usage.put("output_tokens", withOutput ? reply.outputTokens() : 1);
        return usage;
    }

    private ObjectNode message(String model, FakeReply reply) {
        ObjectNode message = support.object();
        message.put("id", "msg_fake");
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        var content = message.putArray("content");
        if (reply.text() != null) {
            ObjectNode text = content.addObject();
            text.put("type", "text");
            text.put("text", reply.text());
        }
        for (FakeReply.ToolCall call : reply.toolCalls()) {
            ObjectNode use = content.addObject();
            use.put("type", "tool_use");
            use.put("id", call.id());
            use.put("name", call.name());
            use.set("input", support.parseArguments(call.arguments()));
        }
        message.put("stop_reason", stopReason(reply));
        message.putNull("stop_sequence");
        message.set("usage", usage(reply, true));
        return message;
    }

    private void stream(FakeResponse response, String model, FakeReply reply) throws Exception {
        response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache")
                .header("request-id", "req_fake");
        ObjectNode start = support.object();
        start.put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake");
        message.put("type", "message");
        message.put("role", "assistant");
        message.putArray("content");
        message.put("model", model);
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usage(reply, false));
        event(response, "message_start", start);
        int index = 0;
        if (reply.text() != null) {
            ObjectNode blockStart = support.object();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            ObjectNode block = blockStart.putObject("content_block");
            block.put("type", "text");
            block.put("text", "");
            event(response, "content_block_start", blockStart);
            ObjectNode ping = support.object();
            ping.put("type", "ping");
            event(response, "ping", ping);
            for (String piece : reply.pieces()) {
                FakeLlmSupport.pause(reply.interval());
                ObjectNode delta = support.object();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                ObjectNode d = delta.putObject("delta");
                d.put("type", "text_delta");
                d.put("text", piece);
                event(response, "content_block_delta", delta);
            }
            stop(response, index++);
        }
        List<FakeReply.ToolCall> calls = reply.toolCalls();
        for (FakeReply.ToolCall call : calls) {
            ObjectNode blockStart = support.object();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", index);
            ObjectNode block = blockStart.putObject("content_block");
            block.put("type", "tool_use");
            block.put("id", call.id());
            block.put("name", call.name());
            block.putObject("input");
            event(response, "content_block_start", blockStart);
            for (String piece : FakeReply.argumentPieces(call.arguments())) {
                FakeLlmSupport.pause(reply.interval());
                ObjectNode delta = support.object();
                delta.put("type", "content_block_delta");
                delta.put("index", index);
                ObjectNode d = delta.putObject("delta");
                d.put("type", "input_json_delta");
                d.put("partial_json", piece);
                event(response, "content_block_delta", delta);
            }
            stop(response, index++);
        }
        ObjectNode delta = support.object();
        delta.put("type", "message_delta");
        ObjectNode d = delta.putObject("delta");
        d.put("stop_reason", stopReason(reply));
        d.putNull("stop_sequence");
        delta.putObject("usage").put("output_tokens", reply.outputTokens());
        event(response, "message_delta", delta);
        ObjectNode stop = support.object();
        stop.put("type", "message_stop");
        event(response, "message_stop", stop);
    }

    private void stop(FakeResponse response, int index) throws Exception {
        ObjectNode stop = support.object();
        stop.put("type", "content_block_stop");
        stop.put("index", index);
        event(response, "content_block_stop", stop);
    }

    private void event(FakeResponse response, String type, ObjectNode data) throws Exception {
        response.write("event: " + type + "\ndata: " + support.mapper.writeValueAsString(data) + "\n\n");
    }
}
