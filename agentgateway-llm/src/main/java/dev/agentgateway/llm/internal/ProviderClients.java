package dev.agentgateway.llm.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.UpstreamOptions;
import dev.agentgateway.core.UpstreamTls;
import dev.agentgateway.llm.LlmProvider;
import org.eclipse.jetty.client.HttpClient;

/**
 * The HTTP clients of one running LLM backend, made when first needed: one shared by the providers
 * with the JVM's trust (and the webhook guards), and one per {@link UpstreamTls} for providers with
 * their own, since trust and client certificates belong to a client's connections.
 */
final class ProviderClients {
    private final GatewayContext gateway;
    private final Map<UpstreamTls, HttpClient> byTls = new IdentityHashMap<>();
    private HttpClient shared;

    ProviderClients(GatewayContext gateway) {
        this.gateway = gateway;
    }

    /** The client for {@code provider}'s requests. */
    HttpClient of(LlmProvider provider) {
        UpstreamTls tls = provider.tls();
        return tls == null ? shared() : byTls.computeIfAbsent(tls, t -> gateway.newHttpClient(UpstreamOptions.DEFAULTS.withTls(t)));
    }

    /** The client for calls with the JVM's trust. */
    HttpClient shared() {
        if (shared == null) {
            shared = gateway.newHttpClient(UpstreamOptions.DEFAULTS);
        }
        return shared;
    }
}
