package dev.agentgateway.mcp.internal.upstream;

import dev.agentgateway.core.Caller;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.sse.SseEvent;
import dev.agentgateway.mcp.StreamableHttpTarget;
import dev.agentgateway.mcp.internal.HeaderValues;
import dev.agentgateway.mcp.internal.Json;
import dev.agentgateway.mcp.internal.JsonRpc;
import dev.agentgateway.mcp.internal.ModernMeta;
import dev.agentgateway.mcp.internal.ParamHeaders;
import dev.agentgateway.mcp.internal.ProtocolVersions;
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
 *
 * <p>A target that answers {@code server/discover} speaks the modern era (2026-07-28): the channel then
 * has no session; every request carries the client in {@code _meta} and the headers that mirror its
 * body ({@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-*} from the tool annotations seen in the
 * target's lists); closing a request's stream cancels it; unrelated messages come from a
 * {@code subscriptions/listen} stream. The verdict is kept per target.
 */
public final class StreamableHttpChannel implements UpstreamChannel {
    private static final Logger LOG = LoggerFactory.getLogger(StreamableHttpChannel.class);
    private static final int MAX_RESUMES = 5;
    private static final String LISTEN_ID = "agw-listen";

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
    /** Whether the last discover answered legacy from the remembered verdict, without asking the target. */
    private volatile boolean legacyRemembered;
    /** The URIs the modern subscription stream watches, and whether it was ended to reopen with new ones. */
    private volatile Set<String> watchedUris = Set.of();
    private volatile boolean reopening;
    /** Completed when the target acknowledges the subscription stream opened last. */
    private volatile CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    private final Map<String, Boolean> eras;
    /** The {@code _meta} every modern request carries (version, client capabilities and info), or {@code null}: legacy. */
    private volatile ObjectNode modernMeta;
    private volatile ParamHeaders toolHeaders = ParamHeaders.none();

    /**
     * @param client for requests
     * @param streams for the long-lived GET stream
     */
    public StreamableHttpChannel(StreamableHttpTarget target, HttpClient client, HttpClient streams, Json json, long maxMessageSize,
                                 Map<String, Boolean> eras) {
        this.target = target;
        this.eras = eras;
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
    public ObjectNode discover(ObjectNode initializeParams) throws IOException {
        legacyRemembered = Boolean.FALSE.equals(eras.get(target.name()));
        if (legacyRemembered) {
            return null;
        }
        ObjectNode meta = json.object();
        meta.put(ModernMeta.PROTOCOL_VERSION, ProtocolVersions.V2026_07_28);
        meta.set(ModernMeta.CLIENT_CAPABILITIES, initializeParams.path("capabilities").deepCopy());
        JsonNode clientInfo = initializeParams.path("clientInfo");
        if (clientInfo.path("name").isTextual() && clientInfo.path("version").isTextual()) {
            meta.set(ModernMeta.CLIENT_INFO, clientInfo.deepCopy()); // a SHOULD: left out rather than sent incomplete
        }
        ObjectNode params = json.object();
        params.set("_meta", meta.deepCopy());
        ObjectNode probe = JsonRpc.request(TextNode.valueOf("agw-discover"), "server/discover", params);
        sessionId = null;
        Request request = newRequest(HttpMethod.POST, null).body(new BytesRequestContent("application/json", json.bytes(probe)));
        request.headers(h -> h.put(HttpHeader.ACCEPT, "application/json, text/event-stream")
                .put(ModernMeta.VERSION_HEADER, ProtocolVersions.V2026_07_28).put(ModernMeta.METHOD_HEADER, "server/discover"));
        ObjectNode answer = exchange(request);
        JsonNode versions = answer == null ? null : answer.path("result").path("supportedVersions");
        boolean modern = versions != null && versions.isArray() && versions.toString().contains("\"" + ProtocolVersions.V2026_07_28 + "\"");
        eras.put(target.name(), modern);
        if (!modern) {
            LOG.debug("target '{}' is a legacy server (server/discover: {})", target.name(), answer == null ? "no JSON-RPC answer" : answer);
            return null;
        }
        modernMeta = meta;
        protocolVersion = ProtocolVersions.V2026_07_28;
        return (ObjectNode) answer.get("result");
    }

    /** One request-response exchange outside any call (the probe): the JSON-RPC answer, JSON or the last message of a stream, or {@code null}. */
    private ObjectNode exchange(Request request) throws IOException {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try {
            Response response = listener.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            try (InputStream body = listener.getInputStream()) {
                String contentType = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
                if (HttpMessages.isMediaType(contentType, "text/event-stream")) {
                    ObjectNode[] last = {null};
                    HttpMessages.readEvents(body, maxMessageSize, event -> {
                        try {
                            if (event.data() != null && !event.data().isEmpty() && json.parse(event.data()) instanceof ObjectNode message
                                    && (message.has("result") || message.has("error"))) {
                                last[0] = message;
                            }
                        } catch (IOException e) {
                            // not JSON: not an answer
                        }
                    });
                    return last[0];
                }
                byte[] bytes = HttpMessages.readAll(body, maxMessageSize);
                try {
                    return json.parse(bytes) instanceof ObjectNode message ? message : null;
                } catch (IOException e) {
                    return null; // an unrecognised body: a legacy server's refusal
                }
            }
        } catch (TimeoutException e) {
            request.abort(e);
            throw new IOException("no response headers within " + target.requestTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The request as a modern target takes it: the client in {@code _meta}; and the headers that mirror it. */
    private ObjectNode modernBody(ObjectNode request, ObjectNode meta) {
        ObjectNode body = request.deepCopy();
        ObjectNode params = body.get("params") instanceof ObjectNode p ? p : body.putObject("params");
        ObjectNode merged = params.get("_meta") instanceof ObjectNode m ? m : params.putObject("_meta");
        boolean declareTasks = merged.remove(ModernMeta.DECLARE_TASKS) != null;
        meta.fields().forEachRemaining(field -> merged.set(field.getKey(), field.getValue()));
        if (declareTasks && merged.get(ModernMeta.CLIENT_CAPABILITIES) instanceof ObjectNode capabilities) {
            ObjectNode declared = capabilities.deepCopy();
            ObjectNode extensions = declared.get("extensions") instanceof ObjectNode e ? e : declared.putObject("extensions");
            extensions.putObject(ModernMeta.TASKS_EXTENSION);
            merged.set(ModernMeta.CLIENT_CAPABILITIES, declared);
        }
        return body;
    }

    private void mirrorHeaders(Request request, ObjectNode body) {
        String method = body.path("method").asText();
        JsonNode params = body.path("params");
        request.headers(h -> {
            h.put(ModernMeta.METHOD_HEADER, method);
            String name = switch (method) {
                case "tools/call", "prompts/get" -> params.path("name").asText(null);
                case "resources/read" -> params.path("uri").asText(null);
                case "tasks/get", "tasks/update", "tasks/cancel" -> params.path("taskId").asText(null); // SEP-2663
                default -> null;
            };
            if (name != null) {
                h.put(ModernMeta.NAME_HEADER, HeaderValues.encode(name));
            }
            if (method.equals("tools/call")) {
                toolHeaders.headersFor(params.path("name").asText(), params.get("arguments")).forEach(h::put);
            }
        });
    }

    /** Learns the {@code x-mcp-header} annotations of a modern target's tools from its list pages. */
    private void observe(ObjectNode message, PendingCall call) {
        if (modernMeta != null && call != null && "tools/list".equals(call.request.path("method").asText())
                && message.path("result").path("tools").isArray()) {
            toolHeaders = toolHeaders.with(message.path("result").path("tools"));
        }
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
        ObjectNode meta = modernMeta;
        ObjectNode sent = meta == null ? call.request : modernBody(call.request, meta);
        Request request;
        try {
            request = newRequest(HttpMethod.POST, call.caller).body(new BytesRequestContent("application/json", json.bytes(sent)));
        } catch (IOException e) {
            inbound.failed(call, e);
            return;
        }
        request.headers(h -> h.put(HttpHeader.ACCEPT, "application/json, text/event-stream"));
        if (meta != null) {
            mirrorHeaders(request, sent);
        }
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
                if (isSubscriptionBookkeeping(object)) {
                    return;
                }
                observe(object, call);
                inbound.message(object, call);
            }
        } catch (IOException e) {
            LOG.warn("target '{}' sent an event whose data is not JSON; dropped", target.name());
        }
    }

    private void deliver(byte[] bytes, PendingCall call) throws IOException {
        JsonNode message = json.parse(bytes);
        if (message instanceof ObjectNode object) {
            observe(object, call);
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
                    && object.path("id").canConvertToLong() && object.path("id").asLong() == call.request.path("id").asLong()) {
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
        if (modernMeta != null) {
            // 2026-07-28 has no client messages but requests over HTTP: a cancellation is the closing of the
            // request's stream (the ended call aborts its exchange), answers travel in the retry
            LOG.debug("target '{}' speaks 2026-07-28: {} not sent", target.name(), message.path("method").asText("a response"));
            return;
        }
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
                request = modernMeta != null ? subscriptionRequest() : newRequest(streams, HttpMethod.GET, null);
            } catch (IOException e) {
                LOG.warn("target '{}': GET stream not opened: {}", target.name(), e.getMessage());
                sleep(delay);
                delay = Math.min(delay * 2, 30_000);
                continue;
            }
            reopening = false;
            String resumeFrom = modernMeta != null ? null : lastEventId;
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
            if (!closed && !reopening) {
                sleep(delay);
                delay = Math.min(delay * 2, 30_000);
            }
        }
    }

    @Override
    public boolean forgetLegacyVerdict() {
        if (!legacyRemembered) {
            return false;
        }
        legacyRemembered = false;
        eras.remove(target.name(), Boolean.FALSE);
        return true;
    }

    @Override
    public void resourceSubscriptions(Set<String> uris) {
        watchedUris = Set.copyOf(uris);
        Request listen = listenRequest;
        if (listening.get() && listen != null) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            acknowledged = next;
            reopening = true; // the loop opens the stream again at once, with the new URIs
            listen.abort(new IOException("resource subscriptions changed"));
            try {
                // the client's subscribe is answered once the target watches the URI, so no update is missed after it
                next.get(target.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("target '{}': subscription stream not acknowledged: {}", target.name(), e.toString());
            }
        }
    }

    /** A modern target's stream of unrelated messages: {@code subscriptions/listen} for every list change and the watched resources. */
    private Request subscriptionRequest() throws IOException {
        ObjectNode params = json.object();
        ObjectNode notifications = params.putObject("notifications");
        notifications.put("toolsListChanged", true).put("promptsListChanged", true).put("resourcesListChanged", true);
        Set<String> uris = watchedUris;
        if (!uris.isEmpty()) {
            uris.forEach(notifications.putArray("resourceSubscriptions")::add);
        }
        ObjectNode body = modernBody(JsonRpc.request(TextNode.valueOf(LISTEN_ID), "subscriptions/listen", params), modernMeta);
        Request request = newRequest(streams, HttpMethod.POST, null).body(new BytesRequestContent("application/json", json.bytes(body)));
        mirrorHeaders(request, body);
        return request;
    }

    /**
     * Messages of a modern subscription stream that are about the stream itself: its acknowledgement and
     * its end (after which it is opened again). Notifications lose the subscription id, which names the
     * gateway's subscription, not anything the client has.
     */
    private boolean isSubscriptionBookkeeping(ObjectNode message) {
        if (modernMeta == null) {
            return false;
        }
        if ("notifications/subscriptions/acknowledged".equals(message.path("method").asText())) {
            acknowledged.complete(null);
            return true;
        }
        if (LISTEN_ID.equals(message.path("id").asText(null))) {
            return true;
        }
        if (message.path("params").path("_meta") instanceof ObjectNode meta) {
            meta.remove(ModernMeta.SUBSCRIPTION_ID);
            if (meta.isEmpty()) {
                ((ObjectNode) message.get("params")).remove("_meta");
            }
        }
        return false;
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
