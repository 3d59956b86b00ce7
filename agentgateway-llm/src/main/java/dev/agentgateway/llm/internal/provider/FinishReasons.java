package dev.agentgateway.llm.internal.provider;

/** Provider stop reasons to OpenAI {@code finish_reason} and back (reference table 9.1). */
public final class FinishReasons {
    private FinishReasons() {
    }

    public static String fromAnthropic(String reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop"; // end_turn, stop_sequence, pause_turn
        };
    }

    public static String toAnthropic(String finishReason) {
        if (finishReason == null) {
            return "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    public static String fromBedrock(String reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "guardrail_intervened", "content_filtered" -> "content_filter";
            default -> "stop";
        };
    }

    /** Gemini's {@code finishReason}; {@code STOP} with function calls is {@code tool_calls}. */
    public static String fromGemini(String reason, boolean functionCalls) {
        if (reason == null) {
            return functionCalls ? "tool_calls" : "stop";
        }
        return switch (reason) {
            case "MAX_TOKENS" -> "length";
            case "SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "LANGUAGE" ->
                    "content_filter";
            default -> functionCalls ? "tool_calls" : "stop";
        };
    }
}
