package dev.agentgateway.llm.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.BlockingReads;
import dev.agentgateway.core.sse.SseParser;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.internal.aws.EventStreamDecoder;
import dev.agentgateway.llm.internal.aws.SigV4Signer;
import dev.agentgateway.llm.internal.provider.AnthropicAdapter;
import dev.agentgateway.llm.internal.provider.ProviderAdapter;
import dev.agentgateway.llm.internal.provider.StreamTranslator;
import dev.agentgateway.llm.internal.provider.UpstreamRequest;
import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;

/**
 * A provider reached over HTTP: the adapter translates, this class authenticates, sends with
 * jetty-client and, within the provider's timeout, waits for the whole answer (read on the client's
 * threads, so the calling virtual thread parks once) or for the headers of a stream, which is then read
 * and translated chunk by chunk as it arrives.
 */
final class HttpProviderRuntime extends ProviderRuntime {
    /** Error bodies larger than this are cut: only their message matters. */
    private static final int MAX_ERROR_BODY = 256 * 1024;
    /** A single streamed event larger than this ends the stream as corrupt. */
    private static final long MAX_EVENT = 16L * 1024 * 1024;
    /** Non-streamed answers larger than this are refused. */
    private static final int MAX_RESPONSE_BODY = 64 * 1024 * 1024;
    /** Upstream URIs kept parsed, per provider. */
    private static final int MAX_TARGETS = 256;

    private final ProviderAdapter chatAdapter;
    private final ProviderAdapter vertexAnthropic;
    private final HttpClient client;
    private final SigV4Signer signer;
    private final Json json;
    /** Upstream URIs by path: one per endpoint and model at most, so a small bound suffices. */
    private final Map<String, URI> targets = new java.util.concurrent.ConcurrentHashMap<>();

    HttpProviderRuntime(LlmProvider config, ProviderAdapter chatAdapter, ProviderAdapter vertexAnthropic, HttpClient client,
                        Json json) {
        super(config);
        this.json = json;
        this.chatAdapter = chatAdapter;
        this.vertexAnthropic = vertexAnthropic;
        this.client = client;
        this.signer = config.kind() == LlmProvider.Kind.BEDROCK && config.awsAccessKeyId() != null
                ? new SigV4Signer(config.awsAccessKeyId(), config.awsSecretAccessKey(), config.awsSessionToken(),
                        config.region(), "bedrock")
                : null;
    }

    private ProviderAdapter adapterFor(String model) {
        return vertexAnthropic != null && model.startsWith("claude") ? vertexAnthropic : chatAdapter;
    }

    @Override
    public Attempt chat(ObjectNode request, String model, boolean stream) {
        ProviderAdapter adapter = adapterFor(model);
        UpstreamRequest upstream = adapter.chatRequest(request, model, stream);
        if (!stream) {
            Answer answer = sendWhole(upstream, adapter);
            return new Attempt.Completed(this, model, adapter.chatResponse(answer.body, model, answer.headers));
        }
        Sent sent = send(upstream, adapter);
        StreamTranslator translator = adapter.streamTranslator(request, model, sent.headers);
        UpstreamChunks chunks = new UpstreamChunks(sent, translator, adapter.eventStream());
        chunks.prime();
        return new Attempt.Streaming(this, model, chunks);
    }

    @Override
    public boolean speaksMessages(String model) {
        return adapterFor(model) instanceof AnthropicAdapter;
    }

    @Override
    public Attempt messages(ObjectNode messagesRequest, String model, boolean stream, java.util.Map<String, String> clientHeaders) {
        AnthropicAdapter adapter = (AnthropicAdapter) adapterFor(model);
        UpstreamRequest upstream = adapter.messagesRequest(messagesRequest, model, stream, clientHeaders);
        if (!stream) {
            JsonNode message = json.parseOrNull(sendWhole(upstream, adapter).body);
            if (!(message instanceof ObjectNode object)) {
                throw LlmError.upstream(502, "api_error", "bad_upstream_response", "Anthropic's answer is not a JSON object");
            }
            return new Attempt.AnthropicMessage(this, model, object);
        }
        Sent sent = send(upstream, adapter);
        UpstreamChunks events = new UpstreamChunks(sent, adapter.passthroughTranslator(), false);
        events.prime();
        return new Attempt.AnthropicStream(this, model, events);
    }

    @Override
    public Attempt embeddings(ObjectNode request, String model) {
        UpstreamRequest upstream = chatAdapter.embeddingsRequest(request, model);
        Answer answer = sendWhole(upstream, chatAdapter);
        return new Attempt.Completed(this, model, chatAdapter.chatResponse(answer.body, model, answer.headers));
    }

    /** The upstream exchange once its headers have arrived with a 2xx status. */
    private record Sent(Request request, int status, HttpFields headers, Content.Source body) {
    }

    /** A whole non-streamed answer with a 2xx status. */
    private record Answer(HttpFields headers, byte[] body) {
    }

    /** A request built and authenticated, not sent yet. */
    private Request prepare(UpstreamRequest upstream, ProviderAdapter adapter) {
        URI base = config().baseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String pathQuery = basePath + upstream.path();
        int q = pathQuery.indexOf('?');
        String rawPath = q < 0 ? pathQuery : pathQuery.substring(0, q);
        String rawQuery = q < 0 ? null : pathQuery.substring(q + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", base.getPort() < 0 ? base.getHost() : base.getHost() + ":" + base.getPort());
        headers.put("content-type", "application/json");
        upstream.headers().forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), value));
        authenticate(rawPath, rawQuery, headers, upstream.body());
        if (!headers.containsKey("accept")) {
            headers.put("accept", upstream.stream()
                    ? adapter.eventStream() ? "application/vnd.amazon.eventstream" : "text/event-stream"
                    : "application/json");
        }

        URI target = target(base, pathQuery);
        Request request = (target != null ? client.newRequest(target)
                        : client.newRequest(base.getHost(), port(base)).scheme(base.getScheme()).path(pathQuery))
                .method("POST")
                // one buffer, as BytesRequestContent would make, without its stream of arrays
                .body(new ByteBufferRequestContent("application/json", java.nio.ByteBuffer.wrap(upstream.body())));
        request.headers(h -> {
            h.remove(HttpHeader.USER_AGENT);
            headers.forEach((name, value) -> {
                if (!name.equals("content-type")) {
                    h.put(name, value);
                }
            });
        });
        long timeout = config().timeout().toMillis();
        if (upstream.stream()) {
            request.idleTimeout(timeout, TimeUnit.MILLISECONDS);
        } else {
            request.timeout(timeout, TimeUnit.MILLISECONDS);
        }
        return request;
    }

    /**
     * Sends a non-streamed request and waits once for its whole answer, read on the client's threads as
     * it arrives; an answer of 300 or more is thrown as the adapter's error.
     */
    private Answer sendWhole(UpstreamRequest upstream, ProviderAdapter adapter) {
        Request request = prepare(upstream, adapter);
        CompletableFuture<Answer> whole = new CompletableFuture<>();
        request.onResponseContentSource((response, source) -> {
            int status = response.getStatus();
            HttpFields headers = response.getHeaders();
            boolean ok = status < 300;
            BodyCollector.collect(source, ok ? MAX_RESPONSE_BODY : MAX_ERROR_BODY, ok,
                            () -> tooLarge(MAX_RESPONSE_BODY))
                    .whenComplete((body, failure) -> {
                        if (failure != null) {
                            whole.completeExceptionally(failure);
                        } else if (ok) {
                            whole.complete(new Answer(headers, body));
                        } else {
                            whole.completeExceptionally(error(adapter, status, headers, body));
                        }
                    });
        });
        request.send(result -> {
            if (!whole.isDone()) {
                if (result.isFailed()) {
                    whole.completeExceptionally(result.getFailure());
                } else if (result.getResponse().getStatus() < 300) {
                    whole.complete(new Answer(result.getResponse().getHeaders(), new byte[0]));
                } else {
                    whole.completeExceptionally(error(adapter, result.getResponse().getStatus(), result.getResponse().getHeaders(),
                            new byte[0]));
                }
            }
        });
        return await(whole, request);
    }

    private Sent send(UpstreamRequest upstream, ProviderAdapter adapter) {
        Request request = prepare(upstream, adapter);
        CompletableFuture<Sent> headersArrived = new CompletableFuture<>();
        request.onResponseContentSource((response, source) ->
                headersArrived.complete(new Sent(request, response.getStatus(), response.getHeaders(), source)));
        request.send(result -> {
            if (!headersArrived.isDone()) {
                if (result.isFailed()) {
                    headersArrived.completeExceptionally(result.getFailure());
                } else {
                    headersArrived.complete(new Sent(request, result.getResponse().getStatus(), result.getResponse().getHeaders(), null));
                }
            }
        });
        Sent sent = await(headersArrived, request);
        int status = sent.status;
        if (status >= 300) {
            byte[] body = sent.body == null ? new byte[0] : readAllQuietly(sent, MAX_ERROR_BODY);
            throw error(adapter, status, sent.headers, body);
        }
        return sent;
    }

    /**
     * The absolute URI of a path on the provider, parsed once per path: jetty-client's
     * {@code newRequest(host, port)} formats and parses the origin again on every call. Null for a path
     * that is not a valid URI as it stands (left to jetty-client) or once {@link #MAX_TARGETS} are kept.
     */
    private URI target(URI base, String pathQuery) {
        URI uri = targets.get(pathQuery);
        if (uri != null || targets.size() >= MAX_TARGETS) {
            return uri;
        }
        try {
            uri = URI.create(base.getScheme() + "://" + base.getHost() + ":" + port(base) + pathQuery);
        } catch (IllegalArgumentException e) {
            return null;
        }
        targets.put(pathQuery, uri);
        return uri;
    }

    /** Waits for a sent request's future within the provider's timeout, aborting the request if it fails. */
    private <T> T await(CompletableFuture<T> future, Request request) {
        try {
            return future.get(config().timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            throw timeout();
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw LlmError.upstream(502, "api_error", "interrupted", "interrupted while waiting for provider '" + name() + "'");
        } catch (ExecutionException e) {
            request.abort(e.getCause());
            throw failure(e.getCause());
        }
    }

    /** The adapter's error for an answer of 300 or more, with the provider's retry-after hint. */
    private static LlmError error(ProviderAdapter adapter, int status, HttpFields headers, byte[] body) {
        LlmError error = adapter.error(status, headers, body);
        String retryAfter = retryAfter(headers);
        return retryAfter == null ? error : error.retryAfter(retryAfter);
    }

    private static LlmError tooLarge(int limit) {
        return LlmError.upstream(502, "api_error", "upstream_response_too_large",
                "the provider's answer is larger than " + limit + " bytes");
    }

    /** {@code retry-after-ms}, {@code x-ms-retry-after-ms} (Azure) or {@code retry-after}, as whole seconds. */
    static String retryAfter(HttpFields headers) {
        for (String name : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            String millis = headers.get(name);
            if (millis != null) {
                try {
                    return Long.toString(Math.max(1, (long) Math.ceil(Double.parseDouble(millis.strip()) / 1000)));
                } catch (NumberFormatException ignored) {
                    // fall through to the next header
                }
            }
        }
        String seconds = headers.get("retry-after");
        return seconds == null || seconds.isBlank() ? null : seconds.strip();
    }

    private void authenticate(String rawPath, String rawQuery, Map<String, String> headers, byte[] body) {
        LlmProvider config = config();
        String key = config.apiKey();
        switch (config.kind()) {
            case OPENAI -> {
                if (key != null) {
                    headers.put("authorization", "Bearer " + key);
                }
            }
            case AZURE_OPENAI -> {
                if (key != null) {
                    headers.put("api-key", key);
                } else {
                    headers.put("authorization", "Bearer " + token());
                }
            }
            case ANTHROPIC -> {
                if (config.bearerAuth()) {
                    headers.put("authorization", "Bearer " + key);
                } else {
                    headers.put("x-api-key", key);
                }
            }
            case GEMINI -> headers.put("x-goog-api-key", key);
            case VERTEX_AI -> headers.put("authorization", "Bearer " + token());
            case BEDROCK -> {
                if (signer == null) {
                    headers.put("authorization", "Bearer " + key);
                } else {
                    Map<String, String> signed = new LinkedHashMap<>();
                    signed.put("host", headers.get("host"));
                    signed.put("content-type", headers.get("content-type"));
                    signer.sign("POST", rawPath, rawQuery, signed, body, ZonedDateTime.now(ZoneOffset.UTC));
                    headers.putAll(signed);
                }
            }
            case ECHO -> {
                // in process: never sent
            }
        }
    }

    private String token() {
        try {
            String token = config().accessToken().accessToken();
            if (token == null || token.isBlank()) {
                throw new IllegalStateException("the access token supplier returned no token");
            }
            return token;
        } catch (Exception e) {
            throw new LlmError(502, "api_error", "credentials_unavailable",
                    "provider '" + name() + "': no access token: " + e.getMessage(), null, true);
        }
    }

    private LlmError timeout() {
        return new LlmError(504, "timeout", "upstream_timeout",
                "provider '" + name() + "' did not answer within " + config().timeout().toMillis() + " ms", null, true);
    }

    private LlmError failure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof LlmError error) {
                return error;
            }
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                return timeout();
            }
        }
        boolean connect = failure instanceof ConnectException || failure instanceof NoRouteToHostException
                || failure instanceof UnresolvedAddressException || failure instanceof UnknownHostException;
        return new LlmError(502, "api_error", connect ? "upstream_unreachable" : "upstream_failed",
                "provider '" + name() + "' " + (connect ? "cannot be reached: " : "failed: ") + failure, null, true);
    }

    private byte[] readAllQuietly(Sent sent, int limit) {
        try {
            return read(sent.body, limit, false);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Reads a source to its end (or to {@code limit} bytes: failing when {@code strict}, cutting otherwise). */
    private static byte[] read(Content.Source source, int limit, boolean strict) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            Content.Chunk chunk = BlockingReads.next(source);
            if (Content.Chunk.isFailure(chunk)) {
                throw new IOException(chunk.getFailure().toString(), chunk.getFailure());
            }
            try {
                java.nio.ByteBuffer buffer = chunk.getByteBuffer();
                int n = buffer.remaining();
                if (out.size() + n > limit) {
                    if (strict) {
                        source.fail(new IOException("too large"));
                        throw tooLarge(limit);
                    }
                    n = limit - out.size();
                }
                byte[] bytes = new byte[n];
                buffer.get(bytes);
                out.write(bytes);
            } finally {
                chunk.release();
            }
            if (chunk.isLast() || (!strict && out.size() >= limit)) {
                return out.toByteArray();
            }
        }
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /**
     * A provider stream translated as it is read. {@link #prime} reads until the first chunk, so that a
     * provider failing before it (connection lost, silent past the timeout, an error event first) can
     * still be failed over: nothing has reached the client yet.
     */
    private final class UpstreamChunks implements ChunkSource {
        private final Sent sent;
        private final StreamTranslator translator;
        private final SseParser sse;
        private final EventStreamDecoder frames;
        private final java.util.ArrayDeque<ObjectNode> primed = new java.util.ArrayDeque<>();
        private Consumer<ObjectNode> sink = primed::add;
        private LlmError failure;
        private boolean ended;

        UpstreamChunks(Sent sent, StreamTranslator translator, boolean eventStream) {
            this.sent = sent;
            this.translator = translator;
            this.sse = eventStream ? null : new SseParser(event -> translator.onEvent(event, chunk -> sink.accept(chunk)),
                    comment -> { }, MAX_EVENT);
            this.frames = eventStream ? new EventStreamDecoder(message -> translator.onMessage(message, chunk -> sink.accept(chunk))) : null;
        }

        /** Reads until the first translated chunk; throws a (retryable) error if the stream fails before it. */
        void prime() {
            try {
                while (primed.isEmpty() && !ended) {
                    step();
                }
            } catch (IOException e) {
                failure = failure(e);
            }
            ObjectNode first = primed.peek();
            if (first == null || failure != null && primed.size() == 1 && first.has("error")) {
                cancel(new IOException("stream failed before its first chunk"));
                throw failure != null ? failure : new LlmError(502, "api_error", "empty_stream",
                        "provider '" + name() + "' ended its stream without sending anything", null, true);
            }
            if (first.has("error") && !first.has("choices")) {
                cancel(new IOException("the provider's stream began with an error"));
                JsonNode error = first.get("error");
                throw streamError(Json.string(error, "type"), Json.string(error, "code"), error.path("message").asText("stream error"));
            }
        }

        /** An error that a provider sent as its first stream event, with the status it stands for. */
        private LlmError streamError(String type, String code, String message) {
            String kind = (type == null ? "" : type) + " " + (code == null ? "" : code);
            String lower = kind.toLowerCase(java.util.Locale.ROOT);
            int status = lower.contains("rate_limit") || lower.contains("throttl") ? 429
                    : lower.contains("overloaded") || lower.contains("unavailable") ? 503
                    : lower.contains("invalid_request") || lower.contains("validation") ? 400 : 502;
            return LlmError.upstream(status, LlmError.typeFor(status), code != null ? code : type, message);
        }

        /** Reads one piece of the provider's body and translates it. */
        private void step() throws IOException {
            Content.Source source = sent.body;
            if (source == null) {
                ended = true;
                translator.onEnd(sink);
                return;
            }
            Content.Chunk chunk = BlockingReads.next(source);
            if (Content.Chunk.isFailure(chunk)) {
                ended = true;
                failure = failure(chunk.getFailure());
                sink.accept(dev.agentgateway.llm.internal.provider.Chunks.error(
                        "the provider's stream failed: " + failure.getMessage(), "api_error", failure.code()));
                return;
            }
            try {
                if (frames != null) {
                    frames.feed(chunk.getByteBuffer().slice());
                } else {
                    sse.feed(chunk.getByteBuffer().slice());
                }
            } catch (IllegalStateException e) {
                ended = true;
                source.fail(e);
                sent.request.abort(e);
                failure = LlmError.upstream(502, "api_error", "bad_upstream_stream", "the provider's stream is corrupt: " + e.getMessage());
                sink.accept(dev.agentgateway.llm.internal.provider.Chunks.error(failure.getMessage(), "api_error", failure.code()));
                return;
            } finally {
                chunk.release();
            }
            if (chunk.isLast()) {
                ended = true;
                translator.onEnd(sink);
            }
        }

        @Override
        public void pump(Consumer<ObjectNode> out) throws IOException {
            try {
                while (!primed.isEmpty()) {
                    out.accept(primed.poll());
                }
                sink = out;
                while (!ended) {
                    step();
                }
            } catch (ClientGone e) {
                cancel(e.getCause());
                throw e.getCause();
            }
        }

        @Override
        public void cancel(Throwable cause) {
            sent.request.abort(cause);
            if (sent.body != null) {
                sent.body.fail(cause);
            }
        }
    }
}
