package dev.agentgateway.a2a.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.a2a.A2aBackend;
import dev.agentgateway.a2a.A2aCall;
import dev.agentgateway.a2a.A2aCall.Binding;
import dev.agentgateway.a2a.A2aResult;
import dev.agentgateway.a2a.PushNotifications;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@link A2aBackend} of one gateway. Requests are recognised (card, JSON-RPC, REST, relayed
 * push notification) in {@link #inspect}, which records the {@link A2aCall} and the core
 * {@link Operation} for policies and answers malformed JSON-RPC itself; {@link #handle} relays them with
 * the core's streaming proxy, rewriting only what must be (cards, relayed push configs) and watching
 * the rest pass.
 */
public final class AgentProxy implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(AgentProxy.class);
    static final String VERSION_HEADER = "A2A-Version";
    /** A task list is read whole to leave out other callers' tasks; beyond this the agent's answer fails (502). */
    private static final long MAX_TASK_LIST = 16L * 1024 * 1024;

    private final A2aBackend config;
    private final GatewayContext gateway;
    private final Backend shortCalls; // the core's HTTP proxy (HttpBackend bound), one per timeout
    private final Backend longCalls;
    private final A2aMetrics metrics;
    private final WebhookGuard guard;
    private final PushRelay relay;
    private final CardCache cards;
    private final TaskAccess tasks;

    public AgentProxy(A2aBackend config, GatewayContext gateway) {
        this.config = config;
        this.gateway = gateway;
        this.shortCalls = upstream(config, config.requestTimeout()).bind(gateway);
        this.longCalls = upstream(config, config.sendTimeout()).bind(gateway);
        this.metrics = new A2aMetrics(gateway.meterRegistry(), gateway.name());
        this.guard = new WebhookGuard(config.pushNotifications());
        this.relay = config.pushNotifications().mode() == PushNotifications.Mode.RELAY
                ? new PushRelay(config.pushNotifications(), guard, gateway.httpClient(), metrics) : null;
        this.cards = new CardCache(config, AgentCards.client(gateway, config));
        this.tasks = new TaskAccess(new TaskOwners(config.maxOwnedTasks(), config.taskIdleTime(), System::nanoTime));
    }

    /** The core proxy's configuration for calls answered within {@code timeout}; streams have no idle limit. */
    private static HttpBackend upstream(A2aBackend config, java.time.Duration timeout) {
        HttpBackend.Builder backend = HttpBackend.builder();
        if (config.tls() != null) {
            backend.tls(config.tls());
        }
        return backend
                .name(config.name())
                .endpoint(config.url().toString())
                .connectTimeout(config.connectTimeout())
                .responseHeadersTimeout(timeout)
                .maxConnections(config.maxConnections())
                .retries(0)
                .build();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<Policy> policies() {
        return config.policies();
    }

    @Override
    public Response inspect(Exchange exchange) throws Exception {
        String agent = agentName(exchange);
        String path = exchange.pathWithinRoute();
        String httpMethod = exchange.method().toUpperCase(Locale.ROOT);
        String headerVersion = requestedVersion(exchange);
        CallState state;
        Response early = null;
        if ((httpMethod.equals("GET") || httpMethod.equals("HEAD")) && AgentCards.isCardPath(path)) {
            state = new CallState(call(agent, Binding.AGENT_CARD, headerVersion, A2aMethod.GET_CARD, httpMethod + " " + path,
                    MessageFacts.NONE, null), A2aMethod.GET_CARD, null);
        } else if (relay != null && httpMethod.equals("POST") && path.startsWith(PushRelay.PATH)
                && path.indexOf('/', PushRelay.PATH.length()) < 0) {
            state = new CallState(call(agent, Binding.PUSH_RELAY, headerVersion, A2aMethod.PUSH_DELIVERY, "POST " + path,
                    MessageFacts.NONE, null), A2aMethod.PUSH_DELIVERY, null);
            state.relayId = path.substring(PushRelay.PATH.length());
        } else {
            RestCall rest = RestCall.match(httpMethod, path);
            if (rest != null) {
                MessageFacts facts = MessageFacts.NONE;
                byte[] body = null;
                if (httpMethod.equals("POST")) {
                    body = exchange.requestBodyBytes();
                    facts = restBodyFacts(body);
                }
                if (rest.taskId() != null) {
                    facts = facts.withTaskId(rest.taskId());
                }
                String version = !headerVersion.isEmpty() ? headerVersion : rest.v1Prefix() ? "0.3" : "1.0";
                state = new CallState(call(agent, Binding.REST, version, rest.method(), httpMethod + " " + path, facts,
                        null), rest.method(), null);
                if (body != null) {
                    early = checkPushConfigs(exchange, state, body, false);
                }
            } else if (httpMethod.equals("POST")) {
                byte[] body = exchange.requestBodyBytes();
                try {
                    JsonRpcEnvelope envelope = JsonRpcEnvelope.parse(body);
                    A2aMethod method = A2aMethod.ofJsonRpc(envelope.wireMethod());
                    String version = !headerVersion.isEmpty() ? headerVersion : A2aMethod.versionOfJsonRpc(envelope.wireMethod());
                    MessageFacts facts = MessageFacts.of(envelope.facts(), "params.");
                    state = new CallState(call(agent, Binding.JSONRPC, version, method, envelope.wireMethod(), facts, null),
                            method, envelope.echoId());
                    early = checkPushConfigs(exchange, state, body, true);
                } catch (JsonRpcEnvelope.Invalid invalid) {
                    state = new CallState(call(agent, Binding.JSONRPC, headerVersion, A2aMethod.OTHER, "", MessageFacts.NONE,
                            null), A2aMethod.OTHER, invalid.idJson());
                    state.answeredByGateway("error", Integer.toString(invalid.code()));
                    early = JsonRpcErrors.jsonRpc(200, invalid.idJson(), invalid.code(), invalid.getMessage());
                }
            } else {
                state = new CallState(call(agent, Binding.HTTP, headerVersion, A2aMethod.OTHER, httpMethod + " " + path,
                        MessageFacts.NONE, null), A2aMethod.OTHER, null);
            }
        }
        CallState recorded = withSkill(state);
        exchange.attribute(CallState.KEY, recorded);
        exchange.attribute(A2aCall.KEY, recorded.call);
        exchange.attribute(Operation.KEY, operation(recorded.call, recorded.method));
        long start = exchange.startNanos();
        exchange.onComplete(failure -> finish(exchange, recorded, failure, start));
        if (early != null) {
            recorded.httpStatus = early.status();
        }
        return early;
    }

    /**
     * A refusal on this route (a policy's 401, 403 or 429, a failure while serving) in the shape of the
     * binding the client called, status kept: a JSON-RPC error echoing the request's id, with
     * {@code data} {@code {"status", "code"}}, on the JSON-RPC binding; a {@code google.rpc.Status}-shaped
     * body on the REST binding; the gateway's JSON body for cards and other requests, and when the request
     * could not be read (no binding known yet).
     */
    @Override
    public Response errorResponse(Exchange exchange, GatewayException error) {
        CallState state = exchange.attribute(CallState.KEY);
        Binding binding = state == null ? null : state.call.binding();
        if (binding == Binding.JSONRPC) {
            int code = JsonRpcErrors.codeFor(error.status());
            state.answeredByGateway("error", Integer.toString(code));
            String data = "{\"status\":" + error.status() + ",\"code\":\"" + JsonRpcErrors.escape(error.code()) + "\"}";
            return JsonRpcErrors.jsonRpc(error.status(), state.idJson, code, error.getMessage(), data);
        }
        if (binding == Binding.REST) {
            state.answeredByGateway("error", Integer.toString(error.status()));
            return JsonRpcErrors.rest(error.status(), JsonRpcErrors.restStatus(error.status()), error.getMessage());
        }
        return Backend.super.errorResponse(exchange, error);
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        CallState state = exchange.attribute(CallState.KEY);
        if (state == null) {
            throw new IllegalStateException("A2A exchange was not inspected");
        }
        Response response = switch (state.call.binding()) {
            case AGENT_CARD -> serveCard(exchange, state);
            case PUSH_RELAY -> relay.deliver(exchange, state.relayId, state.call.agent());
            default -> forward(exchange, state);
        };
        state.httpStatus = response.status();
        return response;
    }

    private Response forward(Exchange exchange, CallState state) throws Exception {
        Response hidden = tasks.refusal(exchange, state);
        if (hidden != null) {
            return hidden;
        }
        exchange.path(upstreamPath(exchange, state));
        HttpFields.Mutable headers = exchange.requestHeaders();
        // The gateway reads answers as they pass and a stream must never be compressed.
        headers.remove(HttpHeader.ACCEPT_ENCODING);
        if (config.addMissingVersionHeader() && state.call.binding() == Binding.JSONRPC
                && A2aMethod.versionOfJsonRpc(state.call.wireMethod()).equals("1.0") && requestedVersion(exchange).isEmpty()) {
            headers.put(VERSION_HEADER, "1.0");
        }
        if (state.rewrittenBody != null) {
            exchange.requestBody(new ByteBufferContentSource(ByteBuffer.wrap(state.rewrittenBody)));
        }
        Backend proxy = state.method.longRunning() ? longCalls : shortCalls;
        Response response;
        try {
            response = proxy.handle(exchange);
        } catch (GatewayException e) {
            return unavailable(state, e);
        }
        boolean jsonRpc = state.call.binding() == Binding.JSONRPC;
        String contentType = response.headers().get(HttpHeader.CONTENT_TYPE);
        boolean eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream");
        if (eventStream) {
            response.headers().put("X-Accel-Buffering", "no");
            response.headers().remove(HttpHeader.CONTENT_LENGTH);
            state.observer = AnswerObserver.stream(jsonRpc, state.call.agent(), state.call.method(), exchange.startNanos(), metrics);
            tasks.watch(exchange, state);
            state.streamOpen = true;
            metrics.streamOpened(state.call.agent());
        } else {
            state.observer = AnswerObserver.json(jsonRpc, state.call.agent(), state.call.method(), exchange.startNanos(), metrics);
            tasks.watch(exchange, state);
            if (needsRewrite(state) && response.body() instanceof Body.Stream stream) {
                return rewriteAnswer(exchange, state, response, stream, jsonRpc);
            }
        }
        if (response.body() instanceof Body.Stream stream) {
            response.body(Body.stream(new ObservedSource(stream.source(), state.observer)));
        }
        return response;
    }

    /** Extended cards carry interface URLs; relayed push configs carry the gateway's callback URLs. */
    private boolean needsRewrite(CallState state) {
        return switch (state.method) {
            case GET_EXTENDED_CARD -> true;
            case LIST_TASKS -> tasks.anyOwned(); // read whole only when there is something to leave out
            case CREATE_PUSH_CONFIG, GET_PUSH_CONFIG, LIST_PUSH_CONFIGS -> relay != null;
            default -> false;
        };
    }

    private Response rewriteAnswer(Exchange exchange, CallState state, Response response, Body.Stream stream, boolean jsonRpc)
            throws IOException {
        long limit = state.method == A2aMethod.LIST_TASKS ? MAX_TASK_LIST : config.maxCardSize();
        byte[] body = AgentCards.readAll(stream.source(), limit, state.call.agent());
        byte[] out = body;
        try {
            JsonNode tree = AgentCards.JSON.readTree(body);
            JsonNode target = jsonRpc ? tree.get("result") : tree;
            boolean changed = false;
            if (state.method == A2aMethod.GET_EXTENDED_CARD && target instanceof ObjectNode card && response.status() / 100 == 2) {
                cardRewriter(exchange).rewrite(card);
                SkillFilter.filter(card, exchange, state.call.agent());
                changed = true;
            } else if (state.method == A2aMethod.LIST_TASKS) {
                changed = response.status() / 100 == 2 && tasks.filterList(exchange, state, target);
            } else if (relay != null && target != null) {
                changed = relay.restore(target);
            }
            if (changed) {
                out = AgentCards.JSON.writeValueAsBytes(tree);
            }
        } catch (IOException e) {
            // Not JSON: relayed as it came.
        }
        state.observer.whole(out);
        response.headers().remove(HttpHeader.CONTENT_LENGTH);
        response.headers().remove(HttpHeader.ETAG);
        return response.body(Body.of(out));
    }

    private Response serveCard(Exchange exchange, CallState state) throws Exception {
        HttpFields.Mutable headers = exchange.requestHeaders();
        String ifNoneMatch = headers.get(HttpHeader.IF_NONE_MATCH);
        headers.remove(HttpHeader.IF_NONE_MATCH);
        headers.remove(HttpHeader.IF_MODIFIED_SINCE);
        headers.remove(HttpHeader.ACCEPT_ENCODING);
        String path = upstreamPath(exchange, state);
        exchange.path(path);
        String agent = state.call.agent();
        Response upstream;
        try {
            upstream = shortCalls.handle(exchange);
            if (upstream.status() == 404) {
                discard(upstream);
                exchange.path(AgentCards.otherName(path));
                upstream = shortCalls.handle(exchange);
            }
        } catch (GatewayException e) {
            throw new GatewayException(e.status(), e.code(), "Agent '" + agent + "': the agent card cannot be fetched: "
                    + e.getMessage(), e);
        }
        if (upstream.status() / 100 != 2 || !(upstream.body() instanceof Body.Stream stream)) {
            return upstream;
        }
        byte[] body = AgentCards.readAll(stream.source(), config.maxCardSize(), agent);
        ObjectNode card = AgentCards.parse(body, agent, "GET " + config.url() + exchange.path());
        if (requestedVersion(exchange).isEmpty()) {
            cards.remember(CardFacts.of(card));
        } else {
            cards.rememberSkills(CardFacts.of(card));
        }
        cardRewriter(exchange).rewrite(card);
        SkillFilter.filter(card, exchange, agent);
        byte[] out = AgentCards.JSON.writeValueAsBytes(card);
        String etag = AgentCards.etag(out);
        HttpFields.Mutable answer = HttpFields.build();
        for (var field : upstream.headers()) {
            switch (field.getLowerCaseName()) {
                case "content-length", "content-encoding", "etag", "transfer-encoding", "vary" -> {
                }
                default -> answer.add(field);
            }
        }
        if (!answer.contains(HttpHeader.CONTENT_TYPE)) {
            answer.put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        answer.put(HttpHeader.ETAG, etag);
        answer.put(HttpHeader.VARY, vary(upstream.headers()));
        if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
            answer.remove(HttpHeader.CONTENT_TYPE);
            return Response.of(304, answer, Body.empty());
        }
        return Response.of(200, answer, Body.of(out));
    }

    /** {@code Vary} with {@code A2A-Version} added to what the agent said: the card differs per version. */
    private static String vary(HttpFields upstream) {
        StringBuilder vary = new StringBuilder(VERSION_HEADER);
        for (String value : upstream.getValuesList(HttpHeader.VARY)) {
            for (String token : value.split(",")) {
                String t = token.trim();
                if (!t.isEmpty() && !t.equalsIgnoreCase(VERSION_HEADER) && !t.equalsIgnoreCase("Accept-Encoding")) {
                    vary.append(", ").append(t);
                }
            }
        }
        return vary.toString();
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static void discard(Response response) {
        if (response.body() instanceof Body.Stream stream) {
            stream.source().fail(new IOException("not needed"));
        }
    }

    private CardRewriter cardRewriter(Exchange exchange) {
        String publicBase = exchange.scheme() + "://" + exchange.authority() + exchange.routePrefix();
        return new CardRewriter(publicBase, anchor(exchange), config.cardSecurity());
    }

    /** The upstream path the route's public prefix leads to. */
    private String anchor(Exchange exchange) {
        String base = basePath();
        if (exchange.route().pathRewrite() instanceof PathRewrite.ReplacePrefix replace) {
            return base + replace.replacement();
        }
        return base;
    }

    private String basePath() {
        String path = config.url().getRawPath();
        return path == null || path.equals("/") ? "" : CardRewriter.stripSlash(path);
    }

    /** The path below the agent's URL that the request goes to. */
    private String upstreamPath(Exchange exchange, CallState state) throws InterruptedException {
        String within = exchange.pathWithinRoute();
        if (state.call.binding() == Binding.JSONRPC && (within.isEmpty() || within.equals("/"))) {
            return jsonRpcPath(state.call.version());
        }
        String path = exchange.route().pathRewrite() == null ? within : exchange.path();
        return path.isEmpty() ? "/" : path;
    }

    /** Where a JSON-RPC call posted to the prefix itself goes: the configured path, else the card's interface for the version. */
    private String jsonRpcPath(String version) throws InterruptedException {
        if (config.jsonRpcPath() != null) {
            return config.jsonRpcPath();
        }
        String absolute = cards.facts().jsonRpcPath(version);
        if (absolute == null) {
            return "/";
        }
        String base = basePath();
        if (!base.isEmpty() && (absolute.equals(base) || absolute.startsWith(base + "/"))) {
            String rest = absolute.substring(base.length());
            return rest.isEmpty() ? "/" : rest;
        }
        return absolute;
    }

    private Response unavailable(CallState state, GatewayException e) {
        if (e.status() == 413) {
            throw e;
        }
        String message = "Agent '" + state.call.agent() + "' is unavailable: " + e.getMessage();
        if (state.call.binding() == Binding.JSONRPC) {
            state.answeredByGateway("error", Integer.toString(JsonRpcErrors.INTERNAL_ERROR));
            return JsonRpcErrors.jsonRpc(e.status(), state.idJson, JsonRpcErrors.INTERNAL_ERROR, message);
        }
        if (state.call.binding() == Binding.REST) {
            state.answeredByGateway("error", Integer.toString(e.status()));
            return JsonRpcErrors.rest(e.status(), JsonRpcErrors.restStatus(e.status()), message);
        }
        throw new GatewayException(e.status(), e.code(), message, e);
    }

    /** Checks (and in relay mode replaces) the webhook URLs of push configs in a body; an error response when one is refused. */
    private Response checkPushConfigs(Exchange exchange, CallState state, byte[] body, boolean jsonRpc) throws IOException {
        PushNotifications push = config.pushNotifications();
        if (push.mode() == PushNotifications.Mode.PASS_THROUGH || !PushConfigs.mayCarry(body, state.method)) {
            return null;
        }
        JsonNode tree;
        try {
            tree = AgentCards.JSON.readTree(body);
        } catch (IOException e) {
            return null; // The agent answers malformed REST bodies itself.
        }
        JsonNode params = jsonRpc ? tree.get("params") : tree;
        List<ObjectNode> configs = PushConfigs.find(params, state.method);
        for (ObjectNode pushConfig : configs) {
            String refusal = guard.check(pushConfig.path("url").asText(null));
            if (refusal != null) {
                String message = "Push notification config refused: " + refusal;
                if (jsonRpc) {
                    state.answeredByGateway("error", Integer.toString(JsonRpcErrors.INVALID_PARAMS));
                    return JsonRpcErrors.jsonRpc(200, state.idJson, JsonRpcErrors.INVALID_PARAMS, message);
                }
                state.answeredByGateway("error", "400");
                return JsonRpcErrors.rest(400, "INVALID_ARGUMENT", message);
            }
        }
        if (relay != null && !configs.isEmpty()) {
            String relayBase = relayBase(exchange);
            for (ObjectNode pushConfig : configs) {
                relay.register(pushConfig, relayBase);
            }
            state.rewrittenBody = AgentCards.JSON.writeValueAsBytes(tree);
        }
        return null;
    }

    private String relayBase(Exchange exchange) {
        PushNotifications push = config.pushNotifications();
        String base = push.relayBaseUrl() != null ? push.relayBaseUrl().toString() : gateway.uri().toString();
        return CardRewriter.stripSlash(base) + exchange.routePrefix();
    }

    private void finish(Exchange exchange, CallState state, Throwable failure, long start) {
        if (state.observer != null && failure == null) {
            state.observer.end();
        }
        A2aResult result = state.result(failure);
        exchange.attribute(A2aResult.KEY, result);
        A2aCall call = state.call;
        metrics.request(call.agent(), call.binding().name().toLowerCase(Locale.ROOT), call.version(), call.method(),
                result.outcome(), result.errorCode(), System.nanoTime() - start);
        if (state.streamOpen) {
            metrics.streamClosed(call.agent());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("a2a {} {} {} -> {} {} task={} state={}", call.agent(), call.method(), call.wireMethod(),
                    result.outcome(), result.errorCode(), result.taskId(), result.taskState());
        }
    }

    private A2aCall call(String agent, Binding binding, String version, A2aMethod method, String wireMethod,
                         MessageFacts facts, String skill) {
        return new A2aCall(agent, binding, version, method.v10Name(), wireMethod, facts.taskId(), facts.contextId(),
                facts.messageId(), skill != null ? skill : facts.skill(), method.streaming());
    }

    /**
     * Fills in the agent's only skill when a message names none and the gateway knows the card (its own
     * fetch, or a client's through the gateway, whatever version it asked for).
     */
    private CallState withSkill(CallState state) {
        A2aCall call = state.call;
        if (call.skill() != null || (state.method != A2aMethod.SEND_MESSAGE && state.method != A2aMethod.SEND_STREAMING_MESSAGE)) {
            return state;
        }
        String only = cards.knownFacts().onlySkill();
        if (only == null) {
            return state;
        }
        CallState copy = new CallState(new A2aCall(call.agent(), call.binding(), call.version(), call.method(), call.wireMethod(),
                call.taskId(), call.contextId(), call.messageId(), only, call.streaming()), state.method, state.idJson);
        copy.rewrittenBody = state.rewrittenBody;
        copy.relayId = state.relayId;
        copy.fixedOutcome = state.fixedOutcome;
        copy.fixedErrorCode = state.fixedErrorCode;
        return copy;
    }

    private static Operation operation(A2aCall call, A2aMethod method) {
        Map<String, Object> context = new HashMap<>();
        context.put("method", call.method());
        context.put("binding", call.binding().name().toLowerCase(Locale.ROOT));
        context.put("version", call.version());
        if (call.skill() != null) {
            context.put("skill", call.skill());
        }
        if (call.taskId() != null) {
            context.put("taskId", call.taskId());
        }
        if (call.contextId() != null) {
            context.put("contextId", call.contextId());
        }
        return new Operation("a2a", method.action(), "Agent", call.agent(), context);
    }

    private static MessageFacts restBodyFacts(byte[] body) {
        try {
            return MessageFacts.of(REST_BODY.read(body), "");
        } catch (IOException e) {
            return MessageFacts.NONE;
        }
    }

    private static final JsonFacts REST_BODY = new JsonFacts(MessageFacts.PATHS);

    private String agentName(Exchange exchange) {
        return config.agentName() != null ? config.agentName() : exchange.route().name();
    }

    /** The {@code A2A-Version} asked for (header, else query parameter), as {@code Major.Minor}; {@code ""} when none. */
    static String requestedVersion(Exchange exchange) {
        String value = exchange.requestHeaders().get(VERSION_HEADER);
        if (value == null || value.isBlank()) {
            List<String> query = exchange.query() == null ? null : exchange.queryParameters().get(VERSION_HEADER);
            value = query == null || query.isEmpty() ? null : query.get(0);
        }
        if (value == null || value.isBlank()) {
            return "";
        }
        String[] parts = value.trim().split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0];
    }

    @Override
    public void close() throws Exception {
        try {
            shortCalls.close();
        } finally {
            longCalls.close();
        }
    }
}
