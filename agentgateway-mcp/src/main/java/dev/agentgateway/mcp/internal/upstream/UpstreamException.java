package dev.agentgateway.mcp.internal.upstream;

/** A target could not be reached or initialised; the message names the target and says why. */
public final class UpstreamException extends Exception {
    private static final long serialVersionUID = 1L;

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
