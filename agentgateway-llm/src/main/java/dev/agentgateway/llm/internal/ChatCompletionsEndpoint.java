package dev.agentgateway.llm.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.observation.Observation;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;
import dev.agentgateway.llm.internal.guard.Guards;
import dev.agentgateway.llm.internal.guard.StreamGuard;
import dev.agentgateway.llm.internal.provider.Chunks;
import org.eclipse.jetty.http.HttpFields;

/**
 * {@code POST /chat/completions} and {@code POST /embeddings} in OpenAI's dialect. Streams are written
 * chunk by chunk as the provider's events are translated; the usage chunk reaches the client only when
 * it asked for it ({@code stream_options.include_usage}), although the gateway always asks upstream.
 */
final class ChatCompletionsEndpoint {
    private final Json json;
    private final Dispatcher dispatcher;
    private final GenAiMetrics metrics;
    private final Guards guards;

    ChatCompletionsEndpoint(Json json, Dispatcher dispatcher, GenAiMetrics metrics, Guards guards) {
        this.json = json;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.guards = guards;
    }

    /** An OpenAI error response. */
    static Response error(Json json, LlmError error) {
        ObjectNode body = Chunks.error(error.getMessage(), error.type(), error.code());
        if (error.param() != null) {
            ((ObjectNode) body.get("error")).put("param", error.param());
        }
        Response response = json.response(error.status(), body);
        if (error.retryAfter() != null) {
            response.header("Retry-After", error.retryAfter());
        }
        return response;
    }

    Response chat(Exchange exchange, ObjectNode request) {
        boolean stream = request.path("stream").asBoolean(false);
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        long start = System.nanoTime();
        Observation observation = metrics.start("chat", Json.string(request, "model"));
        Attempt attempt;
        try {
            guards.checkRequest(request);
            attempt = dispatcher.chat(request, stream);
        } catch (LlmError error) {
            GenAiMetrics.failed(observation, error);
            return error(json, error);
        }
        RequestAccounting accounting = new RequestAccounting(exchange, metrics, "chat", attempt, start, observation);
        if (attempt instanceof Attempt.Completed completed) {
            accounting.observe(completed.response(), false);
            accounting.finish(null);
            try {
                guards.checkResponse(completed.response());
            } catch (LlmError error) {
                return error(json, error);
            }
            return json.response(200, completed.response());
        }
        ChunkSource chunks = ((Attempt.Streaming) attempt).chunks();
        HttpFields.Mutable headers = HttpFields.build();
        headers.put("Content-Type", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        headers.put("X-Accel-Buffering", "no");
        return Response.of(200, headers, Body.writer(sink -> StreamRelay.run(sink, chunks, accounting, () -> {
            StreamGuard guarded = guards.streamGuard(chunk -> {
                if (chunk.has("error") && !chunk.has("choices")) {
                    write(sink, chunk);
                    return;
                }
                JsonNode usage = chunk.get("usage");
                if (!includeUsage && usage != null) {
                    if (chunk.path("choices").isEmpty()) {
                        return;
                    }
                    chunk.remove("usage");
                }
                write(sink, chunk);
            }, error -> chunks.cancel(new java.io.IOException(error.getMessage())));
            StreamRelay.guarded(chunks, accounting, guarded);
            sink.write("data: [DONE]\n\n");
        })));
    }

    private void write(Body.Sink sink, ObjectNode chunk) {
        try {
            byte[] data = json.bytes(chunk);
            byte[] event = new byte[data.length + 8];
            System.arraycopy("data: ".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, event, 0, 6);
            System.arraycopy(data, 0, event, 6, data.length);
            event[event.length - 2] = '\n';
            event[event.length - 1] = '\n';
            sink.write(java.nio.ByteBuffer.wrap(event));
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }

    Response embeddings(Exchange exchange, ObjectNode request) {
        long start = System.nanoTime();
        Observation observation = metrics.start("embeddings", Json.string(request, "model"));
        try {
            Attempt attempt = dispatcher.embeddings(request);
            RequestAccounting accounting = new RequestAccounting(exchange, metrics, "embeddings", attempt, start, observation);
            ObjectNode response = ((Attempt.Completed) attempt).response();
            accounting.observe(response, false);
            accounting.finish(null);
            return json.response(200, response);
        } catch (LlmError error) {
            GenAiMetrics.failed(observation, error);
            return error(json, error);
        }
    }
}
