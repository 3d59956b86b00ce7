package dev.agentgateway.policy.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;
import dev.agentgateway.policy.auth.ApiKeyAuth;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What a limit counts by: each distinct key gets its own bucket. A key of {@code null} means the limit
 * does not apply to the request (an anonymous caller for {@link #principal()}, a request that names no
 * model for {@link #llmModel()}).
 *
 * <pre>{@code
 * RateLimitKey.principal()                         // per user or API key
 * RateLimitKey.claim("tenant")                     // per tenant, from the token's claim
 * RateLimitKey.of(RateLimitKey.principal(), RateLimitKey.mcpTool())  // per user and tool
 * }</pre>
 */
@FunctionalInterface
public interface RateLimitKey {

    /** The key of this exchange, or {@code null} when the limit does not apply to it. */
    String of(Exchange exchange);

    /** One bucket for every request of the route(s) the limit is on. */
    static RateLimitKey global() {
        return exchange -> "*";
    }

    /** The authenticated principal ({@code scheme:subject}); anonymous callers are not counted. */
    static RateLimitKey principal() {
        return exchange -> {
            Principal principal = exchange.principal();
            return principal == null ? null : principal.scheme() + ":" + principal.subject();
        };
    }

    /** A claim of the principal's token, such as {@code tenant}; callers without it are not counted. */
    static RateLimitKey claim(String name) {
        requireNonNull(name, "name");
        return exchange -> {
            Principal principal = exchange.principal();
            Object value = principal == null ? null : principal.claims().get(name);
            return value == null ? null : value.toString();
        };
    }

    /** The name of the API key the caller authenticated with; other callers are not counted. */
    static RateLimitKey apiKeyName() {
        return exchange -> {
            Principal principal = exchange.principal();
            return principal != null && principal.scheme().equals(ApiKeyAuth.SCHEME) ? principal.subject() : null;
        };
    }

    /**
     * The client's IP address (as the gateway sees it, after trusted forwarding headers). IPv6 clients
     * count by their /64 network: one host usually holds a whole /64, so counting single addresses would
     * let it rotate through them.
     */
    static RateLimitKey clientAddress() {
        return exchange -> {
            InetSocketAddress remote = exchange.remoteAddress();
            InetAddress address = remote == null ? null : remote.getAddress();
            if (address == null) {
                return null;
            }
            byte[] bytes = address.getAddress();
            if (bytes.length == 16) {
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return address.getHostAddress();
        };
    }

    /** The route's name. */
    static RateLimitKey route() {
        return exchange -> exchange.route().name();
    }

    /** A request header's value; requests without it are not counted. */
    static RateLimitKey header(String name) {
        requireNonNull(name, "name");
        return exchange -> exchange.requestHeaders().get(name);
    }

    /** The MCP tool a {@code tools/call} names (as the client sees it); other requests are not counted. */
    static RateLimitKey mcpTool() {
        return operation("Tool", "call_tool");
    }

    /** The A2A skill a message asks for (when the client names one); other requests are not counted. */
    static RateLimitKey a2aSkill() {
        return exchange -> {
            Operation operation = exchange.attribute(Operation.KEY);
            Object skill = operation == null || !operation.protocol().equals("a2a") ? null : operation.context().get("skill");
            return skill instanceof String name && !name.isEmpty() ? name : null;
        };
    }

    /** The LLM model (or alias) a request asks for; other requests are not counted. */
    static RateLimitKey llmModel() {
        return operation("Model", "use_model");
    }

    /** Several keys at once (per user and tool); {@code null} when any part is. */
    static RateLimitKey of(RateLimitKey... parts) {
        RateLimitKey[] copy = parts.clone();
        if (copy.length == 0) {
            throw new IllegalArgumentException("at least one key");
        }
        for (RateLimitKey part : copy) {
            requireNonNull(part, "part");
        }
        return exchange -> {
            StringBuilder key = new StringBuilder();
            for (RateLimitKey part : copy) {
                String value = part.of(exchange);
                if (value == null) {
                    return null;
                }
                key.append(key.isEmpty() ? "" : "\u001f").append(value);
            }
            return key.toString();
        };
    }

    private static RateLimitKey operation(String resourceType, String action) {
        return exchange -> {
            Operation operation = exchange.attribute(Operation.KEY);
            return operation != null && operation.resourceType().equals(resourceType) && operation.action().equals(action)
                    && !operation.resourceId().isEmpty() ? operation.resourceId() : null;
        };
    }
}
