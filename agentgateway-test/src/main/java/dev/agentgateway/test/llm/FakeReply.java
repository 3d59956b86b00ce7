package dev.agentgateway.test.llm;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a fake LLM provider answers, independent of its wire format: text (streamed in word-sized
 * pieces), tool calls, token counts, or an error. Immutable; the methods return modified copies.
 *
 * <pre>{@code
 * FakeReply.text("Hello there").usage(12, 3);
 * FakeReply.toolCall("get_weather", "{\"city\":\"Paris\"}");
 * FakeReply.error(429, "slow down");
 * FakeReply.text("a b c d").interval(Duration.ofMillis(100));   // paced stream
 * }</pre>
 */
public final class FakeReply {
    private final String text;
    private final List<ToolCall> toolCalls;
    private final long inputTokens;
    private final long outputTokens;
    private final long cachedTokens;
    private final int status;
    private final String errorMessage;
    private final Duration interval;
    private final boolean truncated;
    private final String model;

    /** One tool call: its id, function name and arguments (a JSON object as text). */
    public record ToolCall(String id, String name, String arguments) {
        public ToolCall {
            requireNonNull(id, "id");
            requireNonNull(name, "name");
            requireNonNull(arguments, "arguments");
        }
    }

    private FakeReply(String text, List<ToolCall> toolCalls, long inputTokens, long outputTokens, long cachedTokens,
                      int status, String errorMessage, Duration interval, boolean truncated, String model) {
        this.text = text;
        this.toolCalls = List.copyOf(toolCalls);
        this.inputTokens = inputTokens;
        this.outputTokens = outputTokens;
        this.cachedTokens = cachedTokens;
        this.status = status;
        this.errorMessage = errorMessage;
        this.interval = interval;
        this.truncated = truncated;
        this.model = model;
    }

    /** A text answer; usage defaults to 10 input tokens and one output token per word. */
    public static FakeReply text(String text) {
        requireNonNull(text, "text");
        return new FakeReply(text, List.of(), 10, Math.max(1, text.isBlank() ? 0 : text.strip().split("\\s+").length), 0,
                200, null, Duration.ZERO, false, null);
    }

    /** An answer that calls one tool (id {@code call_1}). */
    public static FakeReply toolCall(String name, String argumentsJson) {
        return new FakeReply(null, List.of(new ToolCall("call_1", name, argumentsJson)), 10, 5, 0, 200, null, Duration.ZERO,
                false, null);
    }

    /** An error answer with this HTTP status, in the provider's error shape. */
    public static FakeReply error(int status, String message) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error status is 4xx or 5xx: " + status);
        }
        return new FakeReply(null, List.of(), 0, 0, 0, status, requireNonNull(message, "message"), Duration.ZERO, false, null);
    }

    /** This answer with one more tool call. */
    public FakeReply withToolCall(String id, String name, String argumentsJson) {
        List<ToolCall> calls = new ArrayList<>(toolCalls);
        calls.add(new ToolCall(id, name, argumentsJson));
        return new FakeReply(text, calls, inputTokens, outputTokens, cachedTokens, status, errorMessage, interval, truncated, model);
    }

    /** These token counts. */
    public FakeReply usage(long input, long output) {
        return new FakeReply(text, toolCalls, input, output, cachedTokens, status, errorMessage, interval, truncated, model);
    }

    /** This many of the input tokens read from the prompt cache. */
    public FakeReply cached(long cached) {
        return new FakeReply(text, toolCalls, inputTokens, outputTokens, cached, status, errorMessage, interval, truncated, model);
    }

    /** Waits this long between streamed pieces. */
    public FakeReply interval(Duration interval) {
        return new FakeReply(text, toolCalls, inputTokens, outputTokens, cachedTokens, status, errorMessage,
                requireNonNull(interval, "interval"), truncated, model);
    }

    /** Ends as if the output-token limit was reached. */
    public FakeReply truncated() {
        return new FakeReply(text, toolCalls, inputTokens, outputTokens, cachedTokens, status, errorMessage, interval, true, model);
    }

    /** Names this model as the one that answered (default: the model requested). */
    public FakeReply model(String model) {
        return new FakeReply(text, toolCalls, inputTokens, outputTokens, cachedTokens, status, errorMessage, interval, truncated,
                requireNonNull(model, "model"));
    }

    public String text() {
        return text;
    }

    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long cachedTokens() {
        return cachedTokens;
    }

    /** 200, or the error status. */
    public int status() {
        return status;
    }

    /** The error message, or {@code null}. */
    public String errorMessage() {
        return errorMessage;
    }

    public Duration interval() {
        return interval;
    }

    public boolean isTruncated() {
        return truncated;
    }

    /** The answering model, or {@code null} for the requested one. */
    public String model() {
        return model;
    }

    /** The text in the pieces a stream sends: words with their following space. */
    public List<String> pieces() {
        List<String> pieces = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return pieces;
        }
        for (String piece : text.split("(?<= )")) {
            pieces.add(piece);
        }
        return pieces;
    }

    /** The arguments of a tool call in the pieces a stream sends (about 8 characters each). */
    public static List<String> argumentPieces(String arguments) {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < arguments.length(); i += 8) {
            pieces.add(arguments.substring(i, Math.min(arguments.length(), i + 8)));
        }
        return pieces;
    }
}
