package dev.agentgateway.test.llm;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeResponse;

/**
 * A fake Amazon Bedrock runtime: {@code POST /model/ID/converse} answered with Converse JSON,
 * {@code /model/ID/converse-stream} with the binary eventstream ({@code messageStart},
 * {@code contentBlockStart}/{@code Delta}/{@code Stop}, {@code messageStop}, {@code metadata}, each
 * payload padded with {@code "p"} as AWS does). With {@link Builder#credentials} it checks SigV4 and
 * refuses a wrong signature with 403 {@code InvalidSignatureException}; with {@link Builder#apiKey} it
 * takes a Bedrock API key as a bearer token. Errors carry {@code x-amzn-ErrorType}.
 *
 * <pre>{@code
 * FakeUpstream bedrock = FakeUpstream.of(FakeBedrock.builder()
 *         .credentials("AKIDTEST", "secret")
 *         .reply(FakeReply.text("Hello!"))
 *         .build());
 * }</pre>
 */
public final class FakeBedrock implements FakeHandler {
    private final Function<FakeLlmCall, FakeReply> responder;
    private final SigV4Verifier verifier;
    private final String apiKey;
    private final FakeLlmSupport support = new FakeLlmSupport();

    private FakeBedrock(Builder builder) {
        this.responder = builder.responder;
        this.verifier = builder.accessKeyId == null ? null : new SigV4Verifier(builder.accessKeyId, builder.secretAccessKey);
        this.apiKey = builder.apiKey;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fake that accepts any authentication and always answers {@code reply}. */
    public static FakeBedrock replying(FakeReply reply) {
        return builder().reply(reply).build();
    }

    @Override
    public void handle(FakeRequest request, FakeResponse response) throws Exception {
        String path = request.path();
        String[] segments = path.split("/");
        if (segments.length != 4 || !segments[1].equals("model")
                || !(segments[3].equals("converse") || segments[3].equals("converse-stream"))) {
            error(response, 404, "UnknownOperationException", "Unknown operation " + path);
            return;
        }
        byte[] raw = request.body();
        String problem = authenticate(request, raw);
        if (problem != null) {
            error(response, 403, problem.startsWith("The security token") ? "UnrecognizedClientException" : "InvalidSignatureException",
                    problem);
            return;
        }
        String model = URLDecoder.decode(segments[2], StandardCharsets.UTF_8);
        boolean stream = segments[3].equals("converse-stream");
        JsonNode body = support.parse(raw);
        if (body == null || !body.isObject() || !body.path("messages").isArray() || body.path("messages").isEmpty()) {
            error(response, 400, "ValidationException", "A conversation must start with a user message.");
            return;
        }
        FakeReply reply = responder.apply(new FakeLlmCall(request, body, model, stream, lastUserText(body)));
        if (reply.status() != 200) {
            error(response, reply.status(), errorType(reply.status()), reply.errorMessage());
            return;
        }
        response.header("x-amzn-RequestId", "fake-request-1");
        if (stream) {
            stream(response, reply);
        } else {
            support.json(response, 200, converse(reply));
        }
    }

    private String authenticate(FakeRequest request, byte[] body) {
        String authorization = request.header("Authorization");
        if (apiKey != null && authorization != null && authorization.equals("Bearer " + apiKey)) {
            return null;
        }
        if (verifier != null) {
            return verifier.problem(request, body);
        }
        if (apiKey != null) {
            return "The security token included in the request is invalid.";
        }
        return authorization == null ? "Missing Authentication Token" : null;
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                StringBuilder joined = new StringBuilder();
                message.path("content").forEach(block -> joined.append(block.path("text").asText("")));
                if (!joined.isEmpty()) {
                    text = joined.toString();
                }
            }
        }
        return text;
    }

    private static String stopReason(FakeReply reply) {
        return reply.isTruncated() ? "max_tokens" : reply.toolCalls().isEmpty() ? "end_turn" : "tool_use";
    }

    private ObjectNode usage(FakeReply reply) {
        ObjectNode usage = support.object();
        usage.put("inputTokens", reply.inputTokens() - reply.cachedTokens());
        usage.put("outputTokens", reply.outputTokens());
        usage.put("totalTokens", reply.inputTokens() + reply.outputTokens());
        if (reply.cachedTokens() > 0) {
            usage.put("cacheReadInputTokens", reply.cachedTokens());
        }
        return usage;
    }

    private ObjectNode converse(FakeReply reply) {
        ObjectNode root = support.object();
        ObjectNode message = root.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (reply.text() != null) {
            content.addObject().put("text", reply.text());
        }
        for (FakeReply.ToolCall call : reply.toolCalls()) {
            ObjectNode use = content.addObject().putObject("toolUse");
            use.put("toolUseId", call.id());
            use.put("name", call.name());
            use.set("input", support.parseArguments(call.arguments()));
        }
        root.put("stopReason", stopReason(reply));
        root.set("usage", usage(reply));
        root.putObject("metrics").put("latencyMs", 5);
        return root;
    }

    private void stream(FakeResponse response, FakeReply reply) throws Exception {
        response.status(200).header("Content-Type", "application/vnd.amazon.eventstream");
        event(response, "messageStart", object("role", "assistant"));
        int block = 0;
        if (reply.text() != null) {
            for (String piece : reply.pieces()) {
                FakeLlmSupport.pause(reply.interval());
                ObjectNode delta = support.object();
                delta.put("contentBlockIndex", block);
                delta.putObject("delta").put("text", piece);
                event(response, "contentBlockDelta", delta);
            }
            ObjectNode stop = support.object();
            stop.put("contentBlockIndex", block++);
            event(response, "contentBlockStop", stop);
        }
        List<FakeReply.ToolCall> calls = reply.toolCalls();
        for (FakeReply.ToolCall call : calls) {
            ObjectNode start = support.object();
            start.put("contentBlockIndex", block);
            ObjectNode use = start.putObject("start").putObject("toolUse");
            use.put("toolUseId", call.id());
            use.put("name", call.name());
            event(response, "contentBlockStart", start);
            for (String piece : FakeReply.argumentPieces(call.arguments())) {
                FakeLlmSupport.pause(reply.interval());
                ObjectNode delta = support.object();
                delta.put("contentBlockIndex", block);
                delta.putObject("delta").putObject("toolUse").put("input", piece);
                event(response, "contentBlockDelta", delta);
            }
            ObjectNode stop = support.object();
            stop.put("contentBlockIndex", block++);
            event(response, "contentBlockStop", stop);
        }
        event(response, "messageStop", object("stopReason", stopReason(reply)));
        ObjectNode metadata = support.object();
        metadata.set("usage", usage(reply));
        metadata.putObject("metrics").put("latencyMs", 5);
        event(response, "metadata", metadata);
    }

    private ObjectNode object(String field, String value) {
        ObjectNode node = support.object();
        node.put(field, value);
        return node;
    }

    private void event(FakeResponse response, String type, ObjectNode payload) throws Exception {
        payload.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".substring(0, 3 + type.length() % 20));
        response.write(EventStreamFrames.event(type, support.mapper.writeValueAsString(payload)));
    }

    private static String errorType(int status) {
        return switch (status) {
            case 400 -> "ValidationException";
            case 403 -> "AccessDeniedException";
            case 404 -> "ResourceNotFoundException";
            case 408 -> "ModelTimeoutException";
            case 424 -> "ModelErrorException";
            case 429 -> "ThrottlingException";
            case 503 -> "ServiceUnavailableException";
            default -> "InternalServerException";
        };
    }

    private void error(FakeResponse response, int status, String type, String message) throws Exception {
        ObjectNode root = support.object();
        root.put("message", message);
        response.header("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
        response.header("x-amzn-RequestId", "fake-request-1");
        support.json(response, status, root);
    }

    /** Builds a {@link FakeBedrock}. */
    public static final class Builder {
        private Function<FakeLlmCall, FakeReply> responder = call -> FakeReply.text("Hello from the fake Bedrock");
        private String accessKeyId;
        private String secretAccessKey;
        private String apiKey;

        private Builder() {
        }

        /** Checks every request's SigV4 signature against these credentials. */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
            this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** Accepts this Bedrock API key as {@code Authorization: Bearer}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireNonNull(apiKey, "apiKey");
            return this;
        }

        public Builder reply(FakeReply reply) {
            requireNonNull(reply, "reply");
            this.responder = call -> reply;
            return this;
        }

        public Builder responder(Function<FakeLlmCall, FakeReply> responder) {
            this.responder = requireNonNull(responder, "responder");
            return this;
        }

        public FakeBedrock build() {
            return new FakeBedrock(this);
        }
    }
}
