package dev.agentgateway.mcp.internal;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.AttributeKey;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Caller;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Response;
import dev.agentgateway.mcp.internal.downstream.DownstreamSession;
import dev.agentgateway.mcp.internal.downstream.EventStream;
import dev.agentgateway.mcp.internal.downstream.Initializer;
import dev.agentgateway.mcp.internal.downstream.MessageStream;
import dev.agentgateway.mcp.internal.downstream.RequestRouter;
import dev.agentgateway.mcp.internal.downstream.RequestRunner;
import dev.agentgateway.mcp.internal.downstream.SessionStore;
import dev.agentgateway.mcp.internal.downstream.SessionTokens;
import dev.agentgateway.mcp.internal.downstream.ListChanges;
import dev.agentgateway.mcp.internal.downstream.Visibility;
import dev.agentgateway.mcp.internal.modern.ModernFace;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running MCP backend of one gateway: the client-facing transports on the route's path.
 * <ul>
 * <li>Streamable HTTP: {@code POST} (a message; requests answered with JSON, or with an event stream when
 *     the target sends related messages first or takes a while), {@code GET} with {@code Mcp-Session-Id}
 *     (the stream of unrelated server messages, or with {@code Last-Event-ID} the replay of any stream),
 *     {@code DELETE} (ends the session).</li>
 * <li>Legacy HTTP+SSE: {@code GET} without a session id opens the event stream and announces
 *     {@code <path>?sessionId=...} as the endpoint to {@code POST} messages to.</li>
 * <li>Modern (2026-07-28): a {@code POST} without session id whose {@code _meta} or
 *     {@code MCP-Protocol-Version} names a modern revision is served statelessly by {@link ModernFace}.</li>
 * </ul>
 */
public final class McpEndpoint implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
    /** How long a POST waits for the answer before switching to an event stream (so long calls can be resumed). */
    private static final long JSON_WINDOW_MILLIS = 1000;
    private static final AttributeKey<Parsed> PARSED = AttributeKey.of("mcp.message", Parsed.class);
    /** Set when a policy refused the request's own item as hidden: serve it as naming an unknown item. */
    private static final AttributeKey<Boolean> ITEM_HIDDEN = AttributeKey.of("mcp.itemHidden", Boolean.class);
    private static final String SESSION_HEADER = "Mcp-Session-Id";

    private final McpSettings settings;
    private final McpContext context;
    private final Json json;
    private final SessionStore sessions;
    private final RequestRouter router;
    private final Initializer initializer;
    private final Operations operations;
    private final ModernFace modern;
    private final RequestRunner runner;

    /** A POST body parsed once in {@link #inspect}: the message, or the error to answer. */
    private record Parsed(JsonNode message, Response error) {
    }

    private final AutoCloseable authorizationChanges;

    public McpEndpoint(McpSettings settings, GatewayContext gateway) {
        this.settings = settings;
        McpMetrics metrics = new McpMetrics(gateway.meterRegistry(), gateway.name(), settings.name());
        this.context = new McpContext(settings, gateway, metrics);
        this.json = context.json();
        SessionTokens tokens = new SessionTokens(context.tokens(), json);
        this.sessions = new SessionStore(context, tokens);
        metrics.activeSessions(sessions::size);
        this.router = new RequestRouter(context);
        this.initializer = new Initializer(context, tokens);
        this.operations = new Operations(context.naming(), json, settings.toolViews());
        this.runner = new RequestRunner(context, router);
        this.modern = new ModernFace(context, router, runner, initializer);
        ListChanges changes = new ListChanges(context);
        this.authorizationChanges = gateway.onAuthorizationChanged(() -> {
            for (DownstreamSession session : sessions.live()) {
                context.executor().execute(() -> changes.review(session));
            }
        });
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Response inspect(Exchange exchange) throws IOException {
        String host = settings.allowedHosts().refused(exchange);
        if (host != null) {
            return error(403, null, JsonRpc.SERVER_ERROR, "Forbidden: Host '" + host + "' is not allowed");
        }
        String origin = exchange.requestHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !originAllowed(origin)) {
            return error(403, null, JsonRpc.SERVER_ERROR, "Forbidden: Origin '" + origin + "' is not allowed");
        }
        if (!"POST".equals(exchange.method())) {
            exchange.attribute(Operation.KEY, Operations.session(exchange.method()));
            return null;
        }
        Parsed parsed = parse(exchange);
        exchange.attribute(PARSED, parsed);
        if (parsed.message() instanceof ObjectNode message && JsonRpc.kind(message) == JsonRpc.Kind.REQUEST) {
            exchange.attribute(Operation.KEY, operations.of(message));
        } else {
            exchange.attribute(Operation.KEY, Operations.session(parsed.message() instanceof ObjectNode message
                    ? message.path("method").asText("response") : "batch"));
        }
        return null;
    }

    private Parsed parse(Exchange exchange) throws IOException {
        long declared = exchange.requestContentLength();
        if (declared > settings.maxMessageSize()) {
            return new Parsed(null, tooLarge());
        }
        byte[] body;
        try {
            body = exchange.requestBodyBytes(settings.maxMessageSize()); // chunked: refused once the limit is passed
        } catch (GatewayException e) {
            if (e.status() != 413 || exchange.maxRequestBodySize() < settings.maxMessageSize()) {
                throw e; // the route's own limit answers as the route's
            }
            return new Parsed(null, tooLarge());
        }
        try {
            return new Parsed(json.parse(body), null);
        } catch (IOException e) {
            return new Parsed(null, error(400, null, JsonRpc.PARSE_ERROR, "Parse error: " + firstLine(e.getMessage())));
        }
    }

    private Response tooLarge() {
        return error(413, null, JsonRpc.INVALID_REQUEST, "Message too large: the limit is " + settings.maxMessageSize() + " bytes");
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        return switch (exchange.method()) {
            case "POST" -> post(exchange);
            case "GET" -> get(exchange);
            case "DELETE" -> delete(exchange);
            default -> error(405, null, JsonRpc.SERVER_ERROR, "Method not allowed: " + exchange.method())
                    .header("Allow", "GET, POST, DELETE");
        };
    }

    /**
     * A refusal on this route (a policy's 401, 403 or 429, a failure while serving) as a JSON-RPC error
     * answering the client's request: MCP clients read errors from the JSON-RPC envelope, not from the
     * HTTP status, which is kept all the same.
     */
    @Override
    public Response errorResponse(Exchange exchange, GatewayException error) {
        if (GatewayException.HIDDEN.equals(error.code()) && namesItem(exchange) && exchange.attribute(ITEM_HIDDEN) == null) {
            Response unknown = servedAsUnknown(exchange);
            if (unknown != null) {
                return unknown;
            }
        }
        ObjectNode data = json.object();
        data.put("status", error.status());
        data.put("code", error.code());
        ObjectNode body = JsonRpc.error(requestId(exchange), JsonRpc.codeFor(error.status()), error.getMessage(), data);
        return Response.json(error.status(), json.write(body));
    }

    /** Whether {@link #inspect} parsed a request that names one tool, prompt or resource. */
    private static boolean namesItem(Exchange exchange) {
        Parsed parsed = exchange.attribute(PARSED);
        return parsed != null && parsed.message() instanceof ObjectNode message && JsonRpc.kind(message) == JsonRpc.Kind.REQUEST
                && RequestRouter.ITEM_METHODS.contains(message.path("method").asText());
    }

    /**
     * A hidden item is answered exactly as an unknown one, status, body and response mode alike: by the
     * normal POST path, where the mark makes the router answer "Unknown ..." without asking the upstream.
     * {@code null} if that path failed (then the plain refusal answers).
     */
    private Response servedAsUnknown(Exchange exchange) {
        exchange.attribute(ITEM_HIDDEN, Boolean.TRUE);
        try {
            return post(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("could not answer a hidden item as unknown", e);
        }
        return null;
    }

    /** The id of the request whose body {@link #inspect} parsed, or {@code null} (not parsed yet, not a request). */
    private static JsonNode requestId(Exchange exchange) {
        Parsed parsed = exchange.attribute(PARSED);
        if (parsed != null && parsed.message() instanceof ObjectNode message && JsonRpc.kind(message) == JsonRpc.Kind.REQUEST) {
            return message.get("id");
        }
        return null;
    }

    // ---- POST ------------------------------------------------------------------------------------------

    private Response post(Exchange exchange) throws Exception {
        HttpFields headers = exchange.requestHeaders();
        if (!isJson(headers.get(HttpHeader.CONTENT_TYPE))) {
            return error(415, null, JsonRpc.SERVER_ERROR, "Unsupported Media Type: Content-Type must be application/json");
        }
        String legacySession = first(exchange.queryParameters().get("sessionId"));
        if (legacySession == null && !accepts(headers, "application/json", "text/event-stream")) {
            return error(406, null, JsonRpc.SERVER_ERROR,
                    "Not Acceptable: Client must accept both application/json and text/event-stream");
        }
        Parsed parsed = exchange.attribute(PARSED);
        if (parsed == null) {
            parsed = parse(exchange);
        }
        if (parsed.error() != null) {
            return parsed.error();
        }
        JsonNode node = parsed.message();
        if (node.isArray()) {
            return error(400, null, JsonRpc.INVALID_REQUEST, "Invalid Request: batches are not supported");
        }
        JsonRpc.Kind kind = JsonRpc.kind(node);
        if (kind == JsonRpc.Kind.INVALID) {
            JsonNode id = node.get("id");
            return error(400, id != null && (id.isTextual() || id.isIntegralNumber()) ? id : null, JsonRpc.INVALID_REQUEST,
                    "Invalid Request: not a JSON-RPC 2.0 request, notification or response");
        }
        ObjectNode message = (ObjectNode) node;
        if (legacySession != null) {
            return legacyPost(exchange, legacySession, message, kind);
        }
        if (ModernFace.accepts(message, headers)) {
            return modern.post(exchange, message, kind, visibility(exchange));
        }
        if (kind == JsonRpc.Kind.REQUEST && "initialize".equals(message.get("method").asText())) {
            return initialize(exchange, message);
        }
        String sessionId = headers.get(SESSION_HEADER);
        if (sessionId == null) {
            return error(400, message.get("id"), JsonRpc.SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required");
        }
        Caller caller = Caller.of(exchange);
        DownstreamSession session = session(exchange, sessionId, caller);
        if (session == null) {
            return error(404, message.get("id"), JsonRpc.REQUEST_TIMEOUT, "Session not found");
        }
        String version = headers.get("MCP-Protocol-Version");
        if (version != null && ProtocolVersions.modern(version)) {
            // dual-era rule: a session id makes a request legacy traffic, whatever era its body is in
            return error(400, message.get("id"), JsonRpc.SERVER_ERROR, "Bad Request: a " + version
                    + " request carries no Mcp-Session-Id; this session speaks " + session.state().protocolVersion());
        }
        if (version != null && !ProtocolVersions.supported(version)) {
            return error(400, message.get("id"), JsonRpc.SERVER_ERROR, "Bad Request: Unsupported protocol version: " + version
                    + " (supported: " + ProtocolVersions.SUPPORTED + ")");
        }
        session.touch();
        return switch (kind) {
            case NOTIFICATION -> {
                session.fromClientNotification(message, caller);
                yield Response.of(202);
            }
            case RESPONSE -> {
                session.fromClientResponse(message, caller);
                yield Response.of(202);
            }
            default -> serve(session, message, caller, visibility(exchange));
        };
    }

    private Response initialize(Exchange exchange, ObjectNode request) {
        long start = System.nanoTime();
        DownstreamSession session = new DownstreamSession(context, false, exchange.principal());
        session.onBehalfOf(Caller.of(exchange));
        ObjectNode response = initializer.initialize(session, request);
        boolean ok = !JsonRpc.isError(response);
        context.metrics().request("initialize", "*", ok, System.nanoTime() - start);
        Response http = Response.json(200, json.write(response));
        if (ok) {
            sessions.add(session);
            http.header(SESSION_HEADER, session.id());
        }
        return http;
    }

    /** Serves a request: JSON when the answer comes quickly and alone, else an event stream. */
    private Response serve(DownstreamSession session, ObjectNode request, Caller caller, Visibility visibility)
            throws InterruptedException {
        EventStream stream = (EventStream) session.openRequestStream();
        run(session, request, stream, caller, visibility);
        EventStream.Event first = stream.awaitFirst(JSON_WINDOW_MILLIS);
        if (first != null && first.last()) {
            stream.deliveredAsJson();
            session.releaseAnsweredAsJson(stream);
            return Response.json(200, first.data());
        }
        boolean priming = ProtocolVersions.atLeast(session.state().protocolVersion(), ProtocolVersions.V2025_11_25);
        return eventStream(sink -> {
            // The first write sends the headers: at once, so the client knows the stream is open.
            sink.write(priming ? primingEvent(stream.primingId()) : ": stream\n\n");
            stream.writeTo(sink, 0);
        });
    }

    private void run(DownstreamSession session, ObjectNode request, MessageStream stream, Caller caller, Visibility visibility) {
        runner.run(session, request, stream, caller, visibility);
    }

    private String primingEvent(String id) {
        StringBuilder event = new StringBuilder("id: ").append(id).append('\n');
        if (settings.sseRetry() != null) {
            event.append("retry: ").append(settings.sseRetry().toMillis()).append('\n');
        }
        return event.append("data: \n\n").toString();
    }

    // ---- GET -------------------------------------------------------------------------------------------

    private Response get(Exchange exchange) {
        HttpFields headers = exchange.requestHeaders();
        if (!accepts(headers, "text/event-stream")) {
            return error(406, null, JsonRpc.SERVER_ERROR, "Not Acceptable: Client must accept text/event-stream");
        }
        String sessionId = headers.get(SESSION_HEADER);
        if (sessionId == null) {
            return legacyStream(exchange);
        }
        DownstreamSession session = session(exchange, sessionId, Caller.of(exchange));
        if (session == null) {
            return error(404, null, JsonRpc.REQUEST_TIMEOUT, "Session not found");
        }
        session.touch();
        String lastEventId = headers.get("Last-Event-ID");
        if (lastEventId != null) {
            String[] parsed = EventStream.parseEventId(lastEventId);
            EventStream stream = parsed == null ? null : session.stream(parsed[0]);
            if (stream == null) {
                LOG.debug("session {}: nothing to replay after event {}", sessionId, lastEventId);
                return eventStream(sink -> { });
            }
            long after = Long.parseLong(parsed[1]);
            return eventStream(sink -> {
                sink.write(": resumed\n\n");
                stream.writeTo(sink, after);
            });
        }
        EventStream listening = session.listeningStream();
        long after = listening.deliveredSequence();
        boolean priming = ProtocolVersions.atLeast(session.state().protocolVersion(), ProtocolVersions.V2025_11_25);
        return eventStream(sink -> {
            session.enter();
            try {
                // headers at once; with an id, the client can resume this stream from here
                sink.write(priming ? primingEvent(listening.id() + "-" + after) : ": stream\n\n");
                listening.writeTo(sink, after);
            } finally {
                session.exit();
            }
        });
    }

    private Response legacyStream(Exchange exchange) {
        DownstreamSession session = new DownstreamSession(context, true, exchange.principal());
        session.onBehalfOf(Caller.of(exchange));
        String id = context.tokens().randomId(18);
        session.id(id);
        sessions.add(session);
        EventStream stream = session.listeningStream();
        String endpoint = exchange.originalPath() + "?sessionId=" + id;
        return eventStream(sink -> {
            try {
                sink.write("event: endpoint\ndata: " + endpoint + "\n\n");
                stream.writeTo(sink, 0);
            } finally {
                sessions.end(id);
            }
        });
    }

    private Response legacyPost(Exchange exchange, String sessionId, ObjectNode message, JsonRpc.Kind kind) {
        Caller caller = Caller.of(exchange);
        DownstreamSession session = session(exchange, sessionId, caller);
        if (session == null || !session.legacy()) {
            return error(404, message.get("id"), JsonRpc.REQUEST_TIMEOUT, "Session not found");
        }
        session.touch();
        switch (kind) {
            case NOTIFICATION -> session.fromClientNotification(message, caller);
            case RESPONSE -> session.fromClientResponse(message, caller);
            default -> {
                if ("initialize".equals(message.get("method").asText())) {
                    context.executor().execute(() -> session.listeningStream().send(initializer.initialize(session, message)));
                } else {
                    run(session, message, session.openRequestStream(), caller, visibility(exchange));
                }
            }
        }
        return Response.of(202);
    }

    // ---- DELETE ----------------------------------------------------------------------------------------

    private Response delete(Exchange exchange) {
        String sessionId = exchange.requestHeaders().get(SESSION_HEADER);
        if (sessionId == null) {
            return error(400, null, JsonRpc.SERVER_ERROR, "Bad Request: Mcp-Session-Id header is required");
        }
        DownstreamSession session = session(exchange, sessionId, Caller.of(exchange));
        if (session == null) {
            return error(404, null, JsonRpc.REQUEST_TIMEOUT, "Session not found");
        }
        sessions.end(sessionId);
        return Response.of(200);
    }

    /**
     * The session with this id if the exchange's caller created it, else {@code null}: a session presented
     * by another principal, or by an anonymous caller for an authenticated one's (and the reverse), is
     * answered exactly as an unknown one, so the answer does not tell that the id exists. A session found
     * records {@code caller} as its latest.
     */
    private DownstreamSession session(Exchange exchange, String sessionId, Caller caller) {
        DownstreamSession session = sessions.find(sessionId);
        if (session != null && !session.belongsTo(exchange.principal())) {
            LOG.debug("session {} presented by a caller other than its creator; answered as unknown", session.shortId());
            return null;
        }
        if (session != null) {
            session.onBehalfOf(caller);
        }
        return session;
    }

    /** Ends the clients' GET (and legacy SSE) streams, which would otherwise hold the drain for its whole grace period. */
    @Override
    public void drain() {
        sessions.endListeningStreams();
        modern.drain();
    }

    @Override
    public void close() {
        try {
            authorizationChanges.close();
        } catch (Exception e) {
            LOG.debug("authorization subscription not closed: {}", e.toString());
        }
        modern.close();
        sessions.close();
        context.metrics().close();
        context.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static Visibility visibility(Exchange exchange) {
        return Visibility.of(exchange, Boolean.TRUE.equals(exchange.attribute(ITEM_HIDDEN)));
    }

    private static Response eventStream(Body.Writer writer) {
        return SseResponses.of(writer);
    }

    private Response error(int status, JsonNode id, int code, String message) {
        return Response.json(status, json.write(JsonRpc.error(id, code, message)));
    }

    private boolean originAllowed(String origin) {
        List<String> allowed = settings.allowedOrigins();
        if (allowed.contains("*") || allowed.contains(origin)) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            return uri.getScheme() != null && uri.getHost() != null
                    && allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().equalsIgnoreCase("application/json");
    }

    private static boolean accepts(HttpFields headers, String... types) {
        List<String> values = headers.getValuesList(HttpHeader.ACCEPT);
        if (values.isEmpty()) {
            return false;
        }
        String accept = String.join(",", values).toLowerCase(Locale.ROOT);
        if (accept.contains("*/*")) {
            return true;
        }
        for (String type : types) {
            if (!accept.contains(type)) {
                return false;
            }
        }
        return true;
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
