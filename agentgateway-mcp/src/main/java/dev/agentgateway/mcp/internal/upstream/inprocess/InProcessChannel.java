package dev.agentgateway.mcp.internal.upstream.inprocess;

import dev.agentgateway.core.Caller;
import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.upstream.Inbound;
import dev.agentgateway.mcp.internal.upstream.PendingCall;
import dev.agentgateway.mcp.internal.upstream.UpstreamChannel;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import reactor.core.publisher.Mono;

/**
 * One SDK session of an in-process server. Each request gets its own SDK response stream whose
 * messages (progress, logs, sampling requests and the response) come back attributed to that request,
 * just as on a Streamable HTTP POST stream; a listening stream carries the rest.
 */
final class InProcessChannel implements UpstreamChannel {
    private final InProcessTransportProvider provider;
    private final McpJsonMapper mapper;
    private final ObjectMapper objectMapper;
    private volatile Inbound inbound;
    private volatile McpStreamableServerSession session;

    InProcessChannel(InProcessTransportProvider provider) {
        this.provider = provider;
        this.mapper = provider.mapper();
        this.objectMapper = ((JacksonMcpJsonMapper) mapper).getObjectMapper();
    }

    @Override
    public void open(Inbound inbound) {
        this.inbound = inbound;
    }

    @Override
    public void request(PendingCall call) throws IOException {
        ObjectNode request = call.request();
        if ("initialize".equals(request.path("method").asText())) {
            initialize(call);
            return;
        }
        McpStreamableServerSession current = session;
        if (current == null) {
            throw new IOException("the in-process session is not initialised");
        }
        McpSchema.JSONRPCRequest sdkRequest = (McpSchema.JSONRPCRequest) McpSchema.deserializeJsonRpcMessage(mapper,
                objectMapper.writeValueAsString(request));
        current.responseStream(new Stream(call)).handle(sdkRequest)
                .subscribe(null, failure -> inbound.failed(call, failure));
    }

    private void initialize(PendingCall call) throws IOException {
        JsonNode params = call.request().path("params");
        McpSchema.InitializeRequest init = objectMapper.treeToValue(params, McpSchema.InitializeRequest.class);
        McpStreamableServerSession.McpStreamableServerSessionInit started = provider.factory().startSession(init);
        McpStreamableServerSession previous = session;
        if (previous != null) {
            provider.closed(previous);
            previous.close();
        }
        session = started.session();
        provider.opened(started.session());
        started.initResult().subscribe(result -> {
            ObjectNode response = objectMapper.createObjectNode();
            response.put("jsonrpc", "2.0");
            response.put("id", call.id());
            response.set("result", objectMapper.valueToTree(result));
            inbound.message(response, call);
        }, failure -> inbound.failed(call, failure));
    }

    @Override
    public void initialized(String protocolVersion) {
        McpStreamableServerSession current = session;
        if (current != null) {
            current.listeningStream(new Stream(null));
        }
    }

    @Override
    public void send(ObjectNode message, Caller caller) throws IOException {
        McpStreamableServerSession current = session;
        if (current == null) {
            throw new IOException("the in-process session is not initialised");
        }
        McpSchema.JSONRPCMessage sdkMessage = McpSchema.deserializeJsonRpcMessage(mapper, objectMapper.writeValueAsString(message));
        Mono<Void> accepted = switch (sdkMessage) {
            case McpSchema.JSONRPCNotification notification -> current.accept(notification);
            case McpSchema.JSONRPCResponse response -> current.accept(response);
            default -> Mono.error(new IOException("a client may not send this message without an id: " + message));
        };
        accepted.subscribe(null, failure -> { });
    }

    @Override
    public boolean attributesRelatedMessages() {
        return true;
    }

    @Override
    public void close() {
        McpStreamableServerSession current = session;
        session = null;
        if (current != null) {
            provider.closed(current);
            current.delete().onErrorResume(e -> Mono.empty()).subscribe();
        }
    }

    /** The SDK's view of one of our streams: whatever it sends is handed to the session's inbound. */
    private final class Stream implements McpStreamableServerTransport {
        private final PendingCall call;

        Stream(PendingCall call) {
            this.call = call;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
            return sendMessage(message);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return Mono.fromRunnable(() -> {
                JsonNode tree = objectMapper.valueToTree(message);
                if (tree instanceof ObjectNode object) {
                    inbound.message(object, call);
                }
            });
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> type) {
            return mapper.convertValue(data, type);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }
    }
}
