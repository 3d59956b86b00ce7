package dev.agentgateway.llm.internal.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentgateway.core.sse.SseParser;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.aws.EventStreamDecoder;
import dev.agentgateway.llm.internal.front.AnthropicIngress;
import dev.agentgateway.llm.internal.front.AnthropicStreamEncoder;
import dev.agentgateway.test.llm.EventStreamFrames;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden translation cases in {@code src/test/resources/golden/<provider>/*.json}, written from the
 * wire formats and translation tables of the reference (llm.md sections 1-9): OpenAI request to
 * provider request (path, headers, body), provider response to OpenAI response, provider stream to
 * OpenAI chunks, and the Anthropic Messages front both ways. Each file holds {@code kind},
 * {@code model}, {@code input} and {@code expected}; {@code created} timestamps and generated ids are
 * normalised before comparing.
 */
class GoldenTranslationTest {
    private static final Path ROOT = Path.of("src/test/resources/golden");
    private final Json json = new Json();

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("golden cases in " + ROOT.toAbsolutePath()).hasSizeGreaterThan(20);
        return files.stream().map(file -> DynamicTest.dynamicTest(ROOT.relativize(file).toString(), () -> run(file)));
    }

    private ProviderAdapter adapter(String provider) {
        return switch (provider) {
            case "openai" -> new OpenAiAdapter(json, LlmProvider.Kind.OPENAI, null);
            case "azure" -> new OpenAiAdapter(json, LlmProvider.Kind.AZURE_OPENAI, "2024-10-21");
            case "anthropic" -> new AnthropicAdapter(json, 4096, null);
            case "vertex-anthropic" -> new AnthropicAdapter(json, 4096, "/v1/projects/proj/locations/us-east5");
            case "gemini" -> new GeminiAdapter(json, null);
            case "vertex-gemini" -> new GeminiAdapter(json, "/v1/projects/proj/locations/us-central1");
            case "bedrock" -> new BedrockAdapter(json, 4096);
            default -> null;
        };
    }

    private void run(Path file) throws IOException {
        JsonNode spec = json.parseOrNull(Files.readAllBytes(file));
        String provider = file.getParent().getFileName().toString();
        String kind = spec.path("kind").asText();
        String model = spec.path("model").asText();
        JsonNode input = spec.get("input");
        JsonNode expected = spec.get("expected");
        HttpFields headers = headers(spec.path("headers"));
        JsonNode actual = switch (kind) {
            case "request" -> {
                UpstreamRequest request = adapter(provider).chatRequest((ObjectNode) input, model, spec.path("stream").asBoolean());
                ObjectNode out = Json.object();
                out.put("path", request.path());
                ObjectNode h = out.putObject("headers");
                request.headers().forEach(h::put);
                out.set("body", json.parseOrNull(request.body()));
                yield out;
            }
            case "response" -> adapter(provider).chatResponse(json.bytes(input), model, headers);
            case "stream" -> stream(adapter(provider), (ObjectNode) spec.path("request"), model, input, headers);
            case "ingress-request" -> new AnthropicIngress(json).toOpenAi((ObjectNode) input);
            case "ingress-response" -> new AnthropicIngress(json).fromOpenAi((ObjectNode) input, model);
            case "ingress-stream" -> {
                ArrayNode events = Json.array();
                AnthropicStreamEncoder encoder = new AnthropicStreamEncoder((type, data) -> {
                    ObjectNode event = events.addObject();
                    event.put("event", type);
                    event.set("data", data);
                }, model);
                input.forEach(chunk -> encoder.accept((ObjectNode) chunk.deepCopy()));
                encoder.finish();
                yield events;
            }
            default -> throw new IllegalArgumentException(file + ": unknown kind " + kind);
        };
        // Object equality ignores field order; both sides parsed by one mapper, so numbers compare alike.
        JsonNode produced = normalise(json.parseOrNull(json.bytes(actual)));
        assertThat(produced).as("%s%nproduced: %s%nexpected: %s", file, json.text(produced), json.text(normalise(expected)))
                .isEqualTo(normalise(expected));
    }

    private JsonNode stream(ProviderAdapter adapter, ObjectNode request, String model, JsonNode input, HttpFields headers) {
        ArrayNode chunks = Json.array();
        StreamTranslator translator = adapter.streamTranslator(request, model, headers);
        if (input.isTextual()) {
            SseParser parser = new SseParser(event -> translator.onEvent(event, chunks::add));
            // Fed in small pieces, as a network would deliver it.
            byte[] bytes = input.asText().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < bytes.length; i += 7) {
                parser.feed(java.nio.ByteBuffer.wrap(bytes, i, Math.min(7, bytes.length - i)));
            }
        } else {
            EventStreamDecoder decoder = new EventStreamDecoder(message -> translator.onMessage(message, chunks::add));
            for (JsonNode frame : input) {
                byte[] bytes = frame.has("exception")
                        ? EventStreamFrames.exception(frame.path("exception").asText(), frame.path("message").asText())
                        : EventStreamFrames.event(frame.path("event").asText(), json.text(frame.get("payload")));
                for (int i = 0; i < bytes.length; i += 13) {
                    decoder.feed(java.nio.ByteBuffer.wrap(bytes, i, Math.min(13, bytes.length - i)));
                }
            }
        }
        translator.onEnd(chunks::add);
        return chunks;
    }

    private static HttpFields headers(JsonNode spec) {
        HttpFields.Mutable headers = HttpFields.build();
        spec.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        return headers;
    }

    /** Drops {@code created}; replaces generated ids (random per run) by a placeholder. */
    private static JsonNode normalise(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("created");
            List<String> generated = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isTextual() && field.getValue().asText().matches("(call_[0-9a-f]{24}|(gemini|bedrock)-[0-9a-f-]{36})")) {
                    generated.add(field.getKey());
                } else {
                    normalise(field.getValue());
                }
            }
            generated.forEach(key -> object.set(key, TextNode.valueOf("<generated>")));
        } else if (node instanceof ArrayNode array) {
            array.forEach(GoldenTranslationTest::normalise);
        }
        return node;
    }
}
