package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

/**
 * A failure that has an HTTP answer: thrown by backends and policies, turned by the gateway into a
 * response with this status and a JSON error body {@code {"error":{"code":..., "message":...}}}.
 *
 * <p>Protocol modules that owe their clients another error shape (JSON-RPC, OpenAI errors) build that
 * response themselves instead of throwing.
 */
public class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    /**
     * @param status the HTTP status to answer with
     * @param code a short machine-readable code such as {@code "upstream_timeout"}
     * @param message a sentence for humans
     */
    public GatewayException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public GatewayException(int status, String code, String message, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        this.status = status;
        this.code = requireNonNull(code, "code");
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The machine-readable error code. */
    public String code() {
        return code;
    }

    /** 502: the upstream could not be reached or answered with something unusable. */
    public static GatewayException badGateway(String message, Throwable cause) {
        return new GatewayException(502, "bad_gateway", message, cause);
    }

    /** 504: the upstream did not answer in time. */
    public static GatewayException gatewayTimeout(String message, Throwable cause) {
        return new GatewayException(504, "upstream_timeout", message, cause);
    }

    /** 413: the request body is larger than the configured limit. */
    public static GatewayException payloadTooLarge(long limit) {
        return new GatewayException(413, "payload_too_large",
                "The request body is larger than the limit of " + limit + " bytes");
    }

    /** 403: the caller may not do this, and may know that the thing exists. */
    public static GatewayException forbidden(String message) {
        return new GatewayException(403, FORBIDDEN, message);
    }

    /**
     * 404 with code {@value #HIDDEN}: the caller may not see the thing the request names (a tool, a
     * prompt, a model). Protocol backends answer it exactly as they answer a request for something that
     * does not exist, so that probing names reveals nothing: an MCP route answers {@code Unknown tool},
     * an LLM route {@code model_not_found}.
     */
    public static GatewayException hidden(String message) {
        return new GatewayException(404, HIDDEN, message);
    }

    /** The code of {@link #forbidden}. */
    public static final String FORBIDDEN = "forbidden";

    /** The code of {@link #hidden}. */
    public static final String HIDDEN = "hidden";

    /** 503: nothing can serve the request right now. */
    public static GatewayException unavailable(String message) {
        return new GatewayException(503, "unavailable", message);
    }
}
