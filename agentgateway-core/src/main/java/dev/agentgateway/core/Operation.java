package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What a request asks for, in protocol terms: the fact a protocol module records on the exchange so
 * that authorization and rate limits can decide on it without depending on that module.
 *
 * <p>For example the MCP module records {@code new Operation("mcp", "call_tool", "Tool",
 * "github_search", Map.of("arguments", args))} for a {@code tools/call}, the LLM module records
 * {@code ("llm", "use_model", "Model", "gpt-4o-mini", ...)} and the A2A module
 * {@code ("a2a", "send_message", "Agent", "planner", ...)}.
 *
 * <p>An operation without a resource ({@code resourceId} empty: {@code tools/list}, {@code initialize},
 * {@code GET /v1/models}) names nothing an authorizer can decide on by itself; the module asks the
 * {@link Authorizer} per item instead, for each tool of a list (as {@code call_tool}) or each model
 * (as {@code use_model}), and leaves out what the caller may not use.
 *
 * @param protocol {@code "mcp"}, {@code "a2a"}, {@code "llm"} or {@code "http"}
 * @param action the action, in the words of the policy model ({@code call_tool}, {@code list_tools}, ...)
 * @param resourceType the kind of thing acted on ({@code Tool}, {@code Prompt}, {@code Model}, ...)
 * @param resourceId the thing acted on (a tool name, a model name, ...), or empty when not applicable
 * @param context further facts (arguments, method names, skill ids), never {@code null}
 */
public record Operation(String protocol, String action, String resourceType, String resourceId,
                        Map<String, Object> context) {

    /** The exchange attribute under which protocol modules store the operation of a request. */
    public static final AttributeKey<Operation> KEY = AttributeKey.of("operation", Operation.class);

    /**
     * The operation a protocol module recorded on {@code exchange}, or, on a route no module describes,
     * {@code ("http", "http_request", "Route", <route name>)}: what authorization decides on either way.
     */
    public static Operation of(Exchange exchange) {
        Operation recorded = exchange.attribute(KEY);
        return recorded != null ? recorded : new Operation("http", "http_request", "Route", exchange.route().name(), Map.of());
    }

    public Operation {
        requireNonNull(protocol, "protocol");
        requireNonNull(action, "action");
        requireNonNull(resourceType, "resourceType");
        requireNonNull(resourceId, "resourceId");
        context = Map.copyOf(requireNonNull(context, "context"));
    }
}
