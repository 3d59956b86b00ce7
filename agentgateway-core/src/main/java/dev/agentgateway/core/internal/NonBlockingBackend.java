package dev.agentgateway.core.internal;

import java.util.function.BiConsumer;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;

/**
 * A backend that can serve without blocking a thread, such as the HTTP proxy. On routes without
 * policies the gateway serves it on the I/O thread, with no hand-off to a virtual thread while it
 * waits for the upstream: the hand-offs are what a proxy pays most for on a small machine.
 */
public interface NonBlockingBackend {

    /**
     * Starts serving and returns at once; calls {@code then} exactly once, from any thread, with the
     * response (headers received, body still streaming) or with the failure.
     */
    void handle(Exchange exchange, BiConsumer<Response, Throwable> then);
}
