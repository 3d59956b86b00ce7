package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.mcp.SseTarget;
import dev.agentgateway.mcp.internal.Json;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream session over the legacy HTTP+SSE transport: a GET event stream whose first event names
 * the endpoint to POST messages to; every server message arrives on that stream. The stream is the
 * session: when it drops, the session is gone and the owner re-establishes it.
 */
public final class SseChannel implements UpstreamChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SseChannel.class);

    private final SseTarget target;
    private final HttpClient client;
    private final HttpClient streams;
    private final Json json;
    private final long maxMessageSize;
    private volatile Request stream;
    private volatile URI endpoint;
    private volatile boolean closed;
    private volatile Inbound inbound;

    /**
     * @param client for posting messages
     * @param streams for the long-lived event stream
     */
    public SseChannel(SseTarget target, HttpClient client, HttpClient streams, Json json, long maxMessageSize) {
        this.target = target;
        this.client = client;
        this.streams = streams;
        this.json = json;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void open(Inbound inbound) throws IOException {
        closed = false;
        this.inbound = inbound;
        Request request = withHeaders(streams.newRequest(target.uri()).method(HttpMethod.GET), null);
        request.headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream"));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        stream = request;
        CompletableFuture<URI> announced = new CompletableFuture<>();
        Response response;
        try {
            response = listener.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new IOException(e);
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            throw new IOException("GET " + target.uri() + " failed: " + (e.getCause() == null ? e : e.getCause()), e);
        }
        if (response.getStatus() != 200) {
            listener.getInputStream().close();
            throw new IOException("GET " + target.uri() + " answered HTTP " + response.getStatus());
        }
        InputStream body = listener.getInputStream();
        Thread.ofVirtual().name("mcp-sse-" + target.name()).start(() -> read(request, body, inbound, announced));
        try {
            endpoint = announced.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new IOException(e);
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            throw new IOException("the event stream of " + target.uri() + " announced no endpoint", e);
        }
    }

    private void read(Request request, InputStream body, Inbound inbound, CompletableFuture<URI> announced) {
        Throwable failure = null;
        try (body) {
            HttpMessages.readEvents(body, maxMessageSize, event -> onEvent(event, inbound, announced));
        } catch (IOException e) {
            failure = e;
        }
        announced.completeExceptionally(new IOException("the event stream ended"));
        if (!closed && stream == request) {
            inbound.closed(failure == null ? new IOException("the event stream ended") : failure);
        }
    }

    private void onEvent(SseEvent event, Inbound inbound, CompletableFuture<URI> announced) {
        if ("endpoint".equals(event.type())) {
            try {
                announced.complete(target.uri().resolve(event.data().trim()));
            } catch (IllegalArgumentException e) {
                announced.completeExceptionally(e);
            }
            return;
        }
        if (!"message".equals(event.type()) || event.data() == null || event.data().isEmpty()) {
            return;
        }
        try {
            JsonNode message = json.parse(event.data());
            if (message instanceof ObjectNode object) {
                inbound.message(object, null);
            }
        } catch (IOException e) {
            LOG.warn("target '{}' sent an event whose data is not JSON; dropped", target.name());
        }
    }

    @Override
    public void request(PendingCall call) throws IOException {
        post(call.request, call.caller);
    }

    @Override
    public void send(ObjectNode message, Caller caller) throws IOException {
        post(message, caller);
    }

    private void post(ObjectNode message, Caller caller) throws IOException {
        try {
            postOnce(message, caller);
        } catch (IOException e) {
            if (!StreamableHttpChannel.closedBeforeAnswer(e)) {
                throw e;
            }
            postOnce(message, caller); // the server closed an idle keep-alive connection under us
        }
    }

    private void postOnce(ObjectNode message, Caller caller) throws IOException {
        URI to = endpoint;
        if (to == null || closed) {
            throw new IOException("the event stream of target '" + target.name() + "' is not open");
        }
        Request request = withHeaders(client.newRequest(to).method(HttpMethod.POST), caller)
                .body(new BytesRequestContent("application/json", json.bytes(message)))
                .timeout(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            ContentResponse response = request.send();
            if (response.getStatus() / 100 != 2) {
                throw new IOException("POST " + to + " answered HTTP " + response.getStatus());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException("POST " + to + " failed: " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    /** The target's headers and its credentials for {@code caller} ({@code null}: the session's latest caller). */
    private Request withHeaders(Request request, Caller caller) throws IOException {
        Inbound owner = inbound;
        Map<String, String> credentials = TargetCredentials.headers(target.name(), target.credentials(),
                caller != null || owner == null ? caller : owner.caller());
        return request.headers(h -> {
            target.headers().forEach(h::put);
            credentials.forEach(h::put);
        });
    }

    @Override
    public boolean attributesRelatedMessages() {
        return false;
    }

    @Override
    public void close() {
        closed = true;
        Request open = stream;
        stream = null;
        endpoint = null;
        if (open != null) {
            open.abort(new IOException("session closed"));
        }
    }
}
