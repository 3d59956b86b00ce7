package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.mcp.StreamableHttpTarget;
import dev.agentgateway.mcp.internal.Json;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream Streamable HTTP session: each message is a POST; a request's answer is JSON or an event
 * stream carrying related messages before the response. A stream that ends before the response is
 * resumed with {@code GET} + {@code Last-Event-ID} when the server gave event ids; the GET stream for
 * unrelated messages is opened on demand and reconnected when it drops.
 */
public final class StreamableHttpChannel implements UpstreamChannel {
    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpChannel.class);
    private static final int MAX_RESUMES = 5;

    private final StreamableHttpTarget target;
    private final HttpClient client;
    private final HttpClient streams;
    private final Json json;
    private final long maxMessageSize;
    private final AtomicBoolean listening = new AtomicBoolean();
    private volatile Inbound inbound;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private volatile Request listenRequest;

    /**
     * @param client for requests
     * @param streams for the long-lived GET stream
     */
    public StreamableHttpChannel(StreamableHttpTarget target, HttpClient client, HttpClient streams, Json json, long maxMessageSize) {
        this.target = target;
        this.client = client;
        this.streams = streams;
        this.json = json;
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    public void open(Inbound inbound) {
        this.inbound = inbound;
        this.closed = false;
    }

    @Override
    public boolean resume(String sessionId, String protocolVersion) {
        this.sessionId = sessionId;
        this.protocolVersion = protocolVersion;
        return true;
    }

    @Override
    public void initialized(String protocolVersion) {
        this.protocolVersion = protocolVersion;
    }

    @Override
    public String sessionId() {
        return sessionId;
    }

    @Override
    public boolean attributesRelatedMessages() {
        return true;
    }

    /** Makes the POST on the calling thread and reads the answer (JSON or a stream) to its end. */
    @Override
    public void request(PendingCall call) {
        post(call);
    }

    private void post(PendingCall call) {
        post(call, true);
    }

    /**
     * A server may close an idle keep-alive connection just as a request is written to it (Node's default
     * keep-alive timeout is 5 s): the request failed before any answer and the server never read it, so
     * it is sent once more on a fresh connection.
     */
    static boolean closedBeforeAnswer(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private void post(PendingCall call, boolean mayRetry) {
        boolean initialize = "initialize".equals(call.request.path("method").asText());
        if (initialize) {
            sessionId = null;
            protocolVersion = null;
        }
        String sentSession = sessionId;
        Request request;
        try {
            request = newRequest(HttpMethod.POST, call.caller).body(new BytesRequestContent("application/json", json.bytes(call.request)));
        } catch (IOException e) {
            inbound.failed(call, e);
            return;
        }
        request.headers(h -> h.put(HttpHeader.ACCEPT, "application/json, text/event-stream"));
        InputStreamResponseListener listener = sendForCall(request, call);
        try {
            Response response = listener.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try (InputStream body = listener.getInputStream()) {
                int status = response.getStatus();
                String contentType = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
                if (initialize && status / 100 == 2) {
                    String minted = response.getHeaders().get("Mcp-Session-Id");
                    if (minted != null) {
                        sessionId = minted;
                    }
                }
                if (status == 404 && sentSession != null) {
                    inbound.expired(call);
                } else if (status / 100 == 2 && HttpMessages.isMediaType(contentType, "text/event-stream")) {
                    readResponseStream(body, call);
                } else if (status / 100 == 2 && HttpMessages.isMediaType(contentType, "application/json")) {
                    deliver(HttpMessages.readAll(body, maxMessageSize), call);
                } else {
                    byte[] bytes = HttpMessages.readAll(body, maxMessageSize);
                    if (!deliverError(bytes, call)) {
                        inbound.failed(call, new IOException("HTTP " + status + " from " + target.uri() + ": "
                                + snippet(bytes)));
                    }
                }
            }
        } catch (TimeoutException e) {
            request.abort(e);
            inbound.failed(call, new IOException("no response headers within " + target.requestTimeout().toMillis() + " ms"));
        } catch (ExecutionException e) {
            if (mayRetry && !call.response.isDone() && closedBeforeAnswer(e.getCause())) {
                LOG.debug("target '{}': connection closed before an answer; sending request {} again", target.name(), call.id);
                post(call, false);
            } else if (!call.response.isDone()) {
                inbound.failed(call, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            inbound.failed(call, e);
        } catch (IOException | RuntimeException e) {
            if (!call.response.isDone()) {
                inbound.failed(call, e);
            }
        }
    }

    /** Reads the response stream of {@code call}; resumes it with GET + Last-Event-ID when it ends early. */
    private void readResponseStream(InputStream body, PendingCall call) throws IOException {
        String[] lastEventId = {null};
        long[] retry = {-1};
        InputStream current = body;
        for (int attempt = 0; ; attempt++) {
            try {
                HttpMessages.readEvents(current, maxMessageSize, event -> {
                    if (event.id() != null) {
                        lastEventId[0] = event.id();
                    }
                    if (event.retry() >= 0) {
                        retry[0] = event.retry();
                    }
                    onEvent(event, call);
                });
            } catch (IOException e) {
                LOG.debug("target '{}': response stream of request {} broke: {}", target.name(), call.id, e.toString());
            }
            if (call.response.isDone() || closed) {
                return;
            }
            if (lastEventId[0] == null || attempt >= MAX_RESUMES) {
                inbound.failed(call, new IOException("the response stream ended before the response"
                        + (lastEventId[0] == null ? " (the server gave no event id to resume from)" : "")));
                return;
            }
            sleep(retry[0] >= 0 ? Math.min(retry[0], 10_000) : 100L * (attempt + 1));
            current = resumeStream(lastEventId[0], call);
            if (current == null) {
                inbound.failed(call, new IOException("the response stream ended and could not be resumed"));
                return;
            }
        }
    }

    /**
     * Sends a request made for {@code call}, to be read on this thread. A call that ends elsewhere
     * (timeout, cancellation, session closed) aborts the exchange; one answered on this exchange
     * (completed on this thread) lets it finish, so the connection is reused.
     */
    private static InputStreamResponseListener sendForCall(Request request, PendingCall call) {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        Thread reader = Thread.currentThread();
        call.response.whenComplete((response, failure) -> {
            if (Thread.currentThread() != reader) {
                request.abort(new IOException("the call is over"));
            }
        });
        request.send(listener);
        return listener;
    }

    private InputStream resumeStream(String lastEventId, PendingCall call) {
        Request request;
        try {
            request = newRequest(HttpMethod.GET, call.caller);
        } catch (IOException e) {
            LOG.debug("target '{}': cannot resume the response stream of request {}: {}", target.name(), call.id, e.getMessage());
            return null;
        }
        request.headers(h -> h.put(HttpHeader.ACCEPT, "text/event-stream").put("Last-Event-ID", lastEventId));
        InputStreamResponseListener listener = sendForCall(request, call);
        try {
            Response response = listener.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (response.getStatus() / 100 != 2) {
                listener.getInputStream().close();
                LOG.debug("target '{}': resuming with Last-Event-ID {} got HTTP {}", target.name(), lastEventId, response.getStatus());
                return null;
            }
            return listener.getInputStream();
        } catch (Exception e) {
            request.abort(e);
            return null;
        }
    }

    private void onEvent(SseEvent event, PendingCall call) {
        if (!"message".equals(event.type()) || event.data() == null || event.data().isEmpty()) {
            return; // priming events, keep-alives
        }
        try {
            JsonNode message = json.parse(event.data());
            if (message instanceof ObjectNode object) {
                inbound.message(object, call);
            }
        } catch (IOException e) {
            LOG.warn("target '{}' sent an event whose data is not JSON; dropped", target.name());
        }
    }

    private void deliver(byte[] bytes, PendingCall call) throws IOException {
        JsonNode message = json.parse(bytes);
        if (message instanceof ObjectNode object) {
            inbound.message(object, call);
        } else {
            throw new IOException("the response is not a JSON-RPC message object");
        }
    }

    /** An error status whose body is a JSON-RPC error for the call is that call's answer. */
    private boolean deliverError(byte[] bytes, PendingCall call) {
        try {
            JsonNode message = json.parse(bytes);
            if (message instanceof ObjectNode object && object.get("error") instanceof ObjectNode
                    && object.path("id").canConvertToLong() && object.path("id").asLong() == call.id) {
                inbound.message(object, call);
                return true;
            }
        } catch (IOException e) {
            // not JSON: reported as an HTTP failure
        }
        return false;
    }

    @Override
    public void send(ObjectNode message, Caller caller) throws IOException {
        try {
            sendOnce(message, caller);
        } catch (IOException e) {
            if (!closedBeforeAnswer(e)) {
                throw e;
            }
            sendOnce(message, caller); // see closedBeforeAnswer
        }
    }

    private void sendOnce(ObjectNode message, Caller caller) throws IOException {
        Request request = newRequest(HttpMethod.POST, caller)
                .body(new BytesRequestContent("application/json", json.bytes(message)));
        request.headers(h -> h.put(HttpHeader.ACCEPT, "application/json, text/event-stream"));
        try {
            org.eclipse.jetty.client.ContentResponse response = request.timeout(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).send();
            if (response.getStatus() / 100 != 2) {
                throw new IOException("HTTP " + response.getStatus() + " from " + target.uri() + ": "
                        + snippet(response.getContent()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (TimeoutException | ExecutionException e) {
            throw new IOException(e.getCause() == null ? e : e.getCause());
        }
    }

    @Override
    public void listen() {
        if (closed || !listening.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("mcp-http-get-" + target.name()).start(this::listenLoop);
    }

    private void listenLoop() {
        String lastEventId = null;
        long delay = 500;
        while (!closed) {
            Request request;
            try {
                request = newRequest(streams, HttpMethod.GET, null);
            } catch (IOException e) {
                LOG.warn("target '{}': GET stream not opened: {}", target.name(), e.getMessage());
                sleep(delay);
                delay = Math.min(delay * 2, 30_000);
                continue;
            }
            String resumeFrom = lastEventId;
            request.headers(h -> {
                h.put(HttpHeader.ACCEPT, "text/event-stream");
                if (resumeFrom != null) {
                    h.put("Last-Event-ID", resumeFrom);
                }
            });
            listenRequest = request;
            InputStreamResponseListener listener = new InputStreamResponseListener();
            request.send(listener);
            try {
                Response response = listener.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
                try (InputStream body = listener.getInputStream()) {
                    if (response.getStatus() == 405) {
                        LOG.debug("target '{}' offers no GET stream", target.name());
                        return;
                    }
                    if (response.getStatus() / 100 != 2) {
                        LOG.debug("target '{}': GET stream refused with HTTP {}", target.name(), response.getStatus());
                        return;
                    }
                    delay = 500;
                    String[] last = {lastEventId};
                    HttpMessages.readEvents(body, maxMessageSize, event -> {
                        if (event.id() != null) {
                            last[0] = event.id();
                        }
                        onEvent(event, null);
                    });
                    lastEventId = last[0];
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("target '{}': GET stream dropped: {}", target.name(), e.toString());
            }
            if (!closed) {
                sleep(delay);
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    private Request newRequest(HttpMethod method, Caller caller) throws IOException {
        return newRequest(client, method, caller);
    }

    /** A request to the target with its headers, its credentials for {@code caller} (null: the session's) and the session's. */
    private Request newRequest(HttpClient via, HttpMethod method, Caller caller) throws IOException {
        Map<String, String> credentials = TargetCredentials.headers(target.name(), target.credentials(),
                caller != null ? caller : inbound.caller());
        Request request = via.newRequest(target.uri()).method(method);
        String session = sessionId;
        String version = protocolVersion;
        request.headers(h -> {
            target.headers().forEach(h::put);
            credentials.forEach(h::put);
            if (session != null) {
                h.put("Mcp-Session-Id", session);
            }
            if (version != null) {
                h.put("MCP-Protocol-Version", version);
            }
        });
        return request;
    }

    @Override
    public void close() {
        closed = true;
        listening.set(false);
        Request listen = listenRequest;
        if (listen != null) {
            listen.abort(new IOException("session closed"));
        }
        String session = sessionId;
        if (session != null) {
            try {
                newRequest(HttpMethod.DELETE, null).timeout(2, TimeUnit.SECONDS).send();
            } catch (Exception e) {
                LOG.debug("target '{}': DELETE of session failed: {}", target.name(), e.toString());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String snippet(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return text.isEmpty() ? "(no body)" : text;
    }
}
