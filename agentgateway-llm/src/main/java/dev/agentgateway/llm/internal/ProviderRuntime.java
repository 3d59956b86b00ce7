package dev.agentgateway.llm.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.LlmProvider;

/**
 * A provider as one gateway runs it: the configuration, how to call it, and its health (consecutive
 * failures, ejection until a deadline).
 */
public abstract class ProviderRuntime {
    private final LlmProvider config;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong ejectedUntil = new AtomicLong();

    protected ProviderRuntime(LlmProvider config) {
        this.config = config;
    }

    public LlmProvider config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** Sends a chat request; throws {@link LlmError} for failures (retryable ones allow failover). */
    public abstract Attempt chat(ObjectNode request, String model, boolean stream);

    /** Whether {@link #messages} can send {@code model} an Anthropic Messages request as it is. */
    public boolean speaksMessages(String model) {
        return false;
    }

    /**
     * Sends an Anthropic Messages request untranslated (only when {@link #speaksMessages}), forwarding
     * the client's {@code anthropic-version} and {@code anthropic-beta} headers.
     */
    public Attempt messages(ObjectNode messagesRequest, String model, boolean stream, java.util.Map<String, String> clientHeaders) {
        throw new IllegalStateException("provider '" + name() + "' does not speak Anthropic Messages");
    }

    /** Sends an embeddings request. */
    public abstract Attempt embeddings(ObjectNode request, String model);

    public boolean ejected(long now) {
        long until = ejectedUntil.get();
        return until != 0 && now - until < 0;
    }

    public void succeeded() {
        consecutiveFailures.set(0);
    }

    /** Records a failure; returns true when it ejected the provider. */
    public boolean failed(int threshold, long cooldownNanos) {
        if (consecutiveFailures.incrementAndGet() >= threshold) {
            consecutiveFailures.set(0);
            long until = System.nanoTime() + cooldownNanos;
            ejectedUntil.set(until == 0 ? 1 : until);
            return true;
        }
        return false;
    }
}
