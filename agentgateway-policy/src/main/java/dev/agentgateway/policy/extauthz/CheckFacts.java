package dev.agentgateway.policy.extauthz;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the gateway tells the service besides the client's request: the operation and the principal,
 * and the client's headers that the allow-list lets through.
 */
record CheckFacts(Operation operation, Principal principal, Map<String, List<String>> headers) {

    static CheckFacts of(Exchange exchange, Set<String> allowedHeaders) {
        Operation operation = Operation.of(exchange);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.requestHeaders().forEach(field -> {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (allowedHeaders.contains(name)) {
                headers.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(field.getValue());
            }
        });
        return new CheckFacts(operation, exchange.principal(), headers);
    }

    /** An address as text, whether it was resolved or (forwarded by a trusted proxy) not. */
    static String host(java.net.InetSocketAddress address) {
        return address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
    }

    /** The gateway's facts by their names in an HTTP check request, as {@code context_extensions} of a gRPC one. */
    Map<String, String> extensions() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("protocol", operation.protocol());
        facts.put("action", operation.action());
        facts.put("resource_type", operation.resourceType());
        facts.put("resource", operation.resourceId());
        if (principal != null) {
            facts.put("principal", principal.subject());
            facts.put("principal_scheme", principal.scheme());
        }
        return facts;
    }
}
