package dev.agentgateway.core;

/**
 * Decides whether the exchange's principal may perform an {@link Operation}. An authorization policy
 * checks the request's own operation itself; it also stores an authorizer on the exchange under
 * {@link #KEY}, so that protocol modules can ask about operations that only appear later, such as
 * each tool in a {@code tools/list} answer (filtered per principal) or each task event.
 *
 * <pre>{@code
 * Authorizer authorizer = exchange.attribute(Authorizer.KEY);
 * if (authorizer != null && !authorizer.allows(exchange, new Operation("mcp", "call_tool", "Tool", name, Map.of()))) {
 *     // leave the tool out of the list
 * }
 * }</pre>
 */
@FunctionalInterface
public interface Authorizer {

    /** The exchange attribute under which authorization policies store their authorizer. */
    AttributeKey<Authorizer> KEY = AttributeKey.of("authorizer", Authorizer.class);

    /** Whether the exchange's principal may perform {@code operation}. */
    boolean allows(Exchange exchange, Operation operation);
}
