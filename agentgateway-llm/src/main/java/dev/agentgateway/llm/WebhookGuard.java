package dev.agentgateway.llm;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;

import dev.agentgateway.core.Checks;

/**
 * Asks an HTTP service about each request before it goes to a provider. The gateway POSTs
 * {@code {"model": "...", "messages": [...]}} (the OpenAI form) and the service answers one of
 * <pre>
 * {"action": "allow"}
 * {"action": "reject", "status": 403, "message": "why"}
 * {"action": "rewrite", "messages": [...]}          (the messages to send instead)
 * </pre>
 * A service that fails or does not answer within the timeout rejects the request (503) unless the
 * guard {@linkplain Builder#failOpen fails open}.
 *
 * <pre>{@code
 * WebhookGuard.builder().url("http://127.0.0.1:9000/guard").timeout(Duration.ofSeconds(2)).build();
 * }</pre>
 */
public final class WebhookGuard implements LlmGuard {
    private final URI url;
    private final Duration timeout;
    private final boolean failOpen;

    private WebhookGuard(Builder builder) {
        this.url = builder.url;
        this.timeout = builder.timeout;
        this.failOpen = builder.failOpen;
    }

    /** A guard calling {@code url} with the defaults (5 s, fail closed). */
    public static WebhookGuard of(String url) {
        return builder().url(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI url() {
        return url;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether a failing service lets requests through. */
    public boolean failOpen() {
        return failOpen;
    }

    /** Builds a {@link WebhookGuard}. */
    public static final class Builder {
        private URI url;
        private Duration timeout = Duration.ofSeconds(5);
        private boolean failOpen;

        private Builder() {
        }

        public Builder url(String url) {
            requireNonNull(url, "url");
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("webhook url must be an http or https URL: " + url);
            }
            this.url = uri;
            return this;
        }

        /** Longest wait for the service (default 5 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /** Lets requests through when the service fails (default false: they are refused). */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        public WebhookGuard build() {
            if (url == null) {
                throw new IllegalStateException("webhook guard has no url");
            }
            return new WebhookGuard(this);
        }
    }
}
