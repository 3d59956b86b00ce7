package dev.agentgateway.llm.internal;

import java.io.IOException;

/**
 * Carries the client's {@link IOException} (it went away) out of chunk consumers, which cannot throw
 * checked exceptions, so that the upstream request is cancelled and the failure reported.
 */
public final class ClientGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClientGone(IOException cause) {
        super(cause.getMessage(), cause, false, false);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
