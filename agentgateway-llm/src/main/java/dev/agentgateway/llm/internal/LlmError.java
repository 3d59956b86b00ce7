package dev.agentgateway.llm.internal;

/**
 * A failure that a client sees in its own dialect (an OpenAI or Anthropic error body) with an HTTP
 * status. Provider errors are translated into one of these with the provider's message kept.
 */
public final class LlmError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final boolean retryable;
    private final String retryAfter;

    public LlmError(int status, String type, String code, String message, String param, boolean retryable) {
        this(status, type, code, message, param, retryable, null);
    }

    private LlmError(int status, String type, String code, String message, String param, boolean retryable, String retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** This error with a {@code Retry-After} value (seconds) for the client. */
    public LlmError retryAfter(String seconds) {
        return new LlmError(status, type, code, getMessage(), param, retryable, seconds);
    }

    /** The {@code Retry-After} value the provider asked for, in seconds, or {@code null}. */
    public String retryAfter() {
        return retryAfter;
    }

    /** 400 {@code invalid_request_error}. */
    public static LlmError invalidRequest(String message) {
        return new LlmError(400, "invalid_request_error", null, message, null, false);
    }

    /** 400 {@code invalid_request_error} about one parameter. */
    public static LlmError invalidParameter(String param, String message) {
        return new LlmError(400, "invalid_request_error", "invalid_value", message, param, false);
    }

    /** An upstream answer with this status, translated: retryable when another provider might succeed. */
    public static LlmError upstream(int status, String type, String code, String message) {
        int answered = status == 529 ? 503 : status;
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return new LlmError(answered, type != null ? type : typeFor(answered), code, message, null, retryable);
    }

    /** The OpenAI error type that goes with a status. */
    public static String typeFor(int status) {
        return switch (status) {
            case 400, 404, 409, 413, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
        };
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** A machine-readable code such as {@code model_not_found}, or {@code null}. */
    public String code() {
        return code;
    }

    /** The request parameter at fault, or {@code null}. */
    public String param() {
        return param;
    }

    /** Whether failing over to another provider may help (429, 5xx, timeouts, connection failures). */
    public boolean retryable() {
        return retryable;
    }
}
