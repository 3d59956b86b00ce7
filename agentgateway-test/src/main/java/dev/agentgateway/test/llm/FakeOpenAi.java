package dev.agentgateway.test.llm;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A fake OpenAI Chat Completions server (also Azure OpenAI and every OpenAI-compatible server): answers
 * {@code POST .../chat/completions} with a {@code chat.completion}, or with {@code chat.completion.chunk}
 * server-sent events ending in {@code data: [DONE]} when {@code "stream": true} (the usage chunk only
 * with {@code stream_options.include_usage}), and {@code .../embeddings} with vectors; errors in OpenAI's
 * {@code {"error":{...}}} shape.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeUpstream openai = FakeUpstream.of(FakeOpenAi.replying(FakeReply.text("Hello!")));
 * }</pre>
 */
public final class FakeOpenAi implements FakeHandler {
    private final Function<FakeLlmCall, FakeReply> responder;
    private final FakeLlmSupport support = new FakeLlmSupport();

    private FakeOpenAi(Function<FakeLlmCall, FakeReply> responder) {
        this.responder = requireNonNull(responder, "responder");
    }

    /** Always answers {@code reply}. */
    public static FakeOpenAi replying(FakeReply reply) {
        requireNonNull(reply, "reply");
        return new FakeOpenAi(call -> reply);
    }

    /** Answers what {@code responder} decides for each request. */
    public static FakeOpenAi responder(Function<FakeLlmCall, FakeReply> responder) {
        return new FakeOpenAi(responder);
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        JsonNode body = support.parse(request.body());
        if (body == null || !body.isObject()) {
            error(response, 400, "We could not parse the JSON body of your request.");
            return;
        }
        boolean stream = body.path("stream").asBoolean(false);
        String model = FakeLlmSupport.text(body, "model");
        FakeReply reply = responder.apply(new FakeLlmCall(request, body, model, stream, FakeLlmSupport.lastUserText(body)));
        if (reply.status() != 200) {
            error(response, reply.status(), reply.errorMessage());
            return;
        }
        String answering = reply.model() != null ? reply.model() : model;
        if (request.path().endsWith("/embeddings")) {
            embeddings(response, body, answering, reply);
        } else if (stream) {
            stream(response, body, answering, reply);
        } else {
            support.json(response, 200, completion(answering, reply));
        }
    }

    private void error(FakeResponse response, int status, String message) throws Exception {
        ObjectNode root = support.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", status == 429 ? "rate_limit_error" : status >= 500 ? "server_error" : "invalid_request_error");
        error.putNull("param");
        error.put("code", status == 429 ? "rate_limit_exceeded" : status == 404 ? "model_not_found" : null);
        support.json(response, status, root);
    }

    private ObjectNode usage(FakeReply reply) {
        ObjectNode usage = support.object();
        usage.put("prompt_tokens", reply.inputTokens());
        usage.put("completion_tokens", reply.outputTokens());
        usage.put("total_tokens", reply.inputTokens() + reply.outputTokens());
        ObjectNode prompt = usage.putObject("prompt_tokens_details");
        prompt.put("cached_tokens", reply.cachedTokens());
        prompt.put("audio_tokens", 0);
        ObjectNode completion = usage.putObject("completion_tokens_details");
        completion.put("reasoning_tokens", 0);
        completion.put("audio_tokens", 0);
        completion.put("accepted_prediction_tokens", 0);
        completion.put("rejected_prediction_tokens", 0);
        return usage;
    }

    private static String finish(FakeReply reply) {
        return reply.isTruncated() ? "length" : reply.toolCalls().isEmpty() ? "stop" : "tool_calls";
    }

    private ObjectNode completion(String model, FakeReply reply) {
        ObjectNode completion = support.object();
        completion.put("id", "chatcmpl-fake");
        completion.put("object", "chat.completion");
        completion.put("created", System.currentTimeMillis() / 1000);
        completion.put("model", model);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (reply.text() == null) {
            message.putNull("content");
        } else {
            message.put("content", reply.text());
        }
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = message.putArray("tool_calls");
            for (FakeReply.ToolCall call : reply.toolCalls()) {
                ObjectNode c = calls.addObject();
                c.put("id", call.id());
                c.put("type", "function");
                ObjectNode function = c.putObject("function");
                function.put("name", call.name());
                function.put("arguments", call.arguments());
            }
        }
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", finish(reply));
        completion.set("usage", usage(reply));
        completion.put("service_tier", "default");
        completion.put("system_fingerprint", "fp_fake");
        return completion;
    }

    private void stream(FakeResponse response, JsonNode body, String model, FakeReply reply) throws Exception {
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        response.status(200).header("Content-Type", "text/event-stream").header("Cache-Control", "no-cache");
        long created = System.currentTimeMillis() / 1000;
        ObjectNode first = support.object();
        first.put("role", "assistant");
        first.put("content", "");
        first.putNull("refusal");
        send(response, chunk(model, created, first, null, includeUsage));
        for (String piece : reply.pieces()) {
            FakeLlmSupport.pause(reply.interval());
            ObjectNode delta = support.object();
            delta.put("content", piece);
            send(response, chunk(model, created, delta, null, includeUsage));
        }
        List<FakeReply.ToolCall> calls = reply.toolCalls();
        for (int i = 0; i < calls.size(); i++) {
            FakeReply.ToolCall call = calls.get(i);
            ObjectNode delta = support.object();
            ObjectNode c = delta.putArray("tool_calls").addObject();
            c.put("index", i);
            c.put("id", call.id());
            c.put("type", "function");
            ObjectNode function = c.putObject("function");
            function.put("name", call.name());
            function.put("arguments", "");
            send(response, chunk(model, created, delta, null, includeUsage));
            for (String piece : FakeReply.argumentPieces(call.arguments())) {
                FakeLlmSupport.pause(reply.interval());
                ObjectNode more = support.object();
                ObjectNode m = more.putArray("tool_calls").addObject();
                m.put("index", i);
                m.putObject("function").put("arguments", piece);
                send(response, chunk(model, created, more, null, includeUsage));
            }
        }
        send(response, chunk(model, created, support.object(), finish(reply), includeUsage));
        if (includeUsage) {
            ObjectNode usageChunk = support.object();
            usageChunk.put("id", "chatcmpl-fake");
            usageChunk.put("object", "chat.completion.chunk");
            usageChunk.put("created", created);
            usageChunk.put("model", model);
            usageChunk.putArray("choices");
            usageChunk.set("usage", usage(reply));
            send(response, usageChunk);
        }
        response.write("data: [DONE]\n\n");
    }

    private ObjectNode chunk(String model, long created, ObjectNode delta, String finish, boolean includeUsage) {
        ObjectNode chunk = support.object();
        chunk.put("id", "chatcmpl-fake");
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.put("system_fingerprint", "fp_fake");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private void send(FakeResponse response, ObjectNode chunk) throws Exception {
        response.write("data: " + support.mapper.writeValueAsString(chunk) + "\n\n");
    }

    private void embeddings(FakeResponse response, JsonNode body, String model, FakeReply reply) throws Exception {
        ObjectNode out = support.object();
        out.put("object", "list");
        ArrayNode data = out.putArray("data");
        JsonNode input = body.path("input");
        int count = input.isArray() ? input.size() : 1;
        for (int i = 0; i < count; i++) {
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            ArrayNode vector = embedding.putArray("embedding");
            for (int d = 0; d < 4; d++) {
                vector.add((i + 1) * 0.25 * (d + 1));
            }
        }
        out.put("model", model);
        ObjectNode usage = out.putObject("usage");
        usage.put("prompt_tokens", reply.inputTokens());
        usage.put("total_tokens", reply.inputTokens());
        support.json(response, 200, out);
    }
}
