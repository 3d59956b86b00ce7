package dev.agentgateway.llm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.observation.Observation;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;
import dev.agentgateway.llm.internal.front.AnthropicIngress;
import dev.agentgateway.llm.internal.front.AnthropicStreamEncoder;
import dev.agentgateway.llm.internal.guard.Guards;
import dev.agentgateway.llm.internal.guard.StreamGuard;
import org.eclipse.jetty.http.HttpFields;

/**
 * {@code POST /messages}: the Anthropic Messages API in front of any provider. Clients may authenticate
 * with {@code x-api-key} or {@code Authorization: Bearer} and send any {@code anthropic-version}: the
 * gateway's own policies decide who may call, and the provider gets the gateway's credentials.
 */
final class MessagesEndpoint {
    private final Json json;
    private final Dispatcher dispatcher;
    private final GenAiMetrics metrics;
    private final AnthropicIngress ingress;
    private final Guards guards;

    MessagesEndpoint(Json json, Dispatcher dispatcher, GenAiMetrics metrics, AnthropicIngress ingress, Guards guards) {
        this.json = json;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.ingress = ingress;
        this.guards = guards;
    }

    /** An Anthropic error response: {@code {"type":"error","error":{"type","message"}}}. */
    static Response error(Json json, LlmError error) {
        ObjectNode body = Json.object();
        body.put("type", "error");
        ObjectNode e = body.putObject("error");
        e.put("type", anthropicType(error.status()));
        e.put("message", error.getMessage());
        Response response = json.response(error.status(), body);
        if (error.retryAfter() != null) {
            response.header("Retry-After", error.retryAfter());
        }
        return response;
    }

    private static String anthropicType(int status) {
        return switch (status) {
            case 400, 405, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    Response handle(Exchange exchange, ObjectNode messagesRequest) {
        long start = System.nanoTime();
        String requestedModel = Json.string(messagesRequest, "model");
        boolean stream = messagesRequest.path("stream").asBoolean(false);
        Observation observation = metrics.start("chat", requestedModel);
        Attempt attempt;
        try {
            if (!Json.has(messagesRequest, "max_tokens")) {
                throw LlmError.invalidParameter("max_tokens", "max_tokens: Field required");
            }
            ObjectNode request = ingress.toOpenAi(messagesRequest);
            guards.checkRequest(request);
            // Anthropic to Anthropic keeps every field (cache_control, thinking, betas) when no guard must see the text.
            boolean passthrough = guards.isEmpty();
            Map<String, String> clientHeaders = new HashMap<>();
            for (String name : new String[] {"anthropic-version", "anthropic-beta"}) {
                String value = exchange.requestHeaders().get(name);
                if (value != null) {
                    clientHeaders.put(name, value);
                }
            }
            attempt = dispatcher.dispatch("chat", Json.string(request, "model"), (provider, model) ->
                    passthrough && provider.speaksMessages(model)
                            ? provider.messages(messagesRequest, model, stream, clientHeaders)
                            : provider.chat(request, model, stream));
        } catch (LlmError error) {
            GenAiMetrics.failed(observation, error);
            return error(json, error);
        }
        RequestAccounting accounting = new RequestAccounting(exchange, metrics, "chat", attempt, start, observation);
        if (attempt instanceof Attempt.AnthropicMessage message) {
            accounting.observe(accountable(message.message()), false);
            accounting.finish(null);
            return json.response(200, message.message());
        }
        if (attempt instanceof Attempt.AnthropicStream passthroughStream) {
            return relay(passthroughStream.events(), accounting);
        }
        if (attempt instanceof Attempt.Completed completed) {
            accounting.observe(completed.response(), false);
            accounting.finish(null);
            try {
                guards.checkResponse(completed.response());
            } catch (LlmError error) {
                return error(json, error);
            }
            return json.response(200, ingress.fromOpenAi(completed.response(), requestedModel));
        }
        ChunkSource chunks = ((Attempt.Streaming) attempt).chunks();
        HttpFields.Mutable headers = HttpFields.build();
        headers.put("Content-Type", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        return Response.of(200, headers, Body.writer(sink -> {
            AnthropicStreamEncoder encoder = new AnthropicStreamEncoder((type, data) -> writeEvent(sink, type, data), requestedModel);
            StreamRelay.run(sink, chunks, accounting, () -> {
                StreamGuard guarded = guards.streamGuard(encoder::accept,
                        error -> chunks.cancel(new IOException(error.getMessage())));
                StreamRelay.guarded(chunks, accounting, guarded);
                encoder.finish();
            });
        }));
    }

    /** Usage of an Anthropic message (or event) in the internal form, for accounting. */
    private static ObjectNode accountable(ObjectNode message) {
        ObjectNode view = Json.object();
        if (message.has("model")) {
            view.set("model", message.get("model"));
        }
        if (message.get("usage") instanceof ObjectNode usage) {
            view.set("usage", AnthropicIngress.openAiUsage(usage));
        }
        return view;
    }

    /** Relays an Anthropic event stream as it is, noting usage from message_start and message_delta. */
    private Response relay(ChunkSource events, RequestAccounting accounting) {
        HttpFields.Mutable headers = HttpFields.build();
        headers.put("Content-Type", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        ObjectNode usage = Json.object();
        return Response.of(200, headers, Body.writer(sink -> StreamRelay.run(sink, events, accounting, () -> {
            events.pump(event -> {
                String type = Json.string(event, "type");
                if ("message_start".equals(type) && event.path("message") instanceof ObjectNode message) {
                    ObjectNode view = accountable(message);
                    view.remove("usage");
                    accounting.observe(view, true);
                    if (message.get("usage") instanceof ObjectNode start) {
                        usage.setAll(start);
                    }
                } else if ("message_delta".equals(type) && event.get("usage") instanceof ObjectNode delta) {
                    delta.properties().forEach(e -> {
                        if (!e.getValue().isNull()) {
                            usage.set(e.getKey(), e.getValue());
                        }
                    });
                    ObjectNode view = Json.object();
                    view.set("usage", AnthropicIngress.openAiUsage(usage));
                    accounting.observe(view, true);
                }
                writeEvent(sink, type, event);
            });
        })));
    }

    /** Writes one Anthropic server-sent event; a client that went away surfaces as {@link ClientGone}. */
    private void writeEvent(Body.Sink sink, String type, ObjectNode data) {
        try {
            sink.write("event: " + type + "\ndata: " + new String(json.bytes(data), StandardCharsets.UTF_8) + "\n\n");
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}
