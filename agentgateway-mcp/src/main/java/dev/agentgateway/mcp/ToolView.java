package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one tool looks to the callers a {@link ToolViews} gives this view to. {@code name} is the tool's
 * name as clients see it without views (with its target prefix, e.g. {@code github_search}). A view can
 * hide the tool, rename it, replace its description or title, fix arguments, and narrow the input schema
 * of arguments. Immutable: every method returns a new view.
 *
 * <pre>{@code
 * ToolView.of("github_search")
 *         .rename("search")
 *         .describe("Searches the code of my-org")
 *         .fix("org", "my-org")                       // gone from the schema, always sent as "my-org"
 *         .restrict("repo", List.of("api", "web"));   // enum in the schema, checked on tools/call
 * ToolView.of("github_delete_repo").hide();
 * }</pre>
 *
 * <p>On {@code tools/call} of a viewed tool the gateway maps the new name back to the original, sets
 * the fixed arguments (overriding what the client sent) and refuses, with JSON-RPC {@code -32602}
 * naming the argument, arguments outside a narrowed schema. That check is deliberately small, not a
 * JSON Schema validator: a {@link #restrict restricted} argument must be one of its strings; an argument
 * whose schema was {@link #schema replaced} must match that schema's {@code type}, {@code enum} and
 * {@code const} (other keywords are shown to clients but not checked). Absent arguments are not checked.
 *
 * @param name the tool, as clients see it without views
 * @param hidden whether the tool is hidden (listed nowhere, unknown when called)
 * @param newName the name clients see instead, or {@code null}
 * @param description the description clients see instead, or {@code null}
 * @param title the title clients see instead, or {@code null}
 * @param fixed arguments the gateway sets, as plain Java values (strings, numbers, booleans, lists, maps)
 * @param allowed per argument, the strings it may take
 * @param schemas per argument, the JSON schema (as plain Java values) that replaces its own
 */
public record ToolView(String name, boolean hidden, String newName, String description, String title,
                       Map<String, Object> fixed, Map<String, List<String>> allowed,
                       Map<String, Map<String, Object>> schemas) {

    public ToolView {
        nonEmpty(name, "tool name");
        if (newName != null) {
            nonEmpty(newName, "new name of tool '" + name + "'");
        }
        fixed = Map.copyOf(requireNonNull(fixed, "fixed"));
        allowed = Map.copyOf(requireNonNull(allowed, "allowed"));
        schemas = Map.copyOf(requireNonNull(schemas, "schemas"));
        for (String argument : allowed.keySet()) {
            if (schemas.containsKey(argument)) {
                throw new IllegalArgumentException("tool '" + name + "': argument '" + argument + "' is both restricted and given a schema");
            }
        }
    }

    /** A view of {@code name} that changes nothing yet. */
    public static ToolView of(String name) {
        return new ToolView(name, false, null, null, null, Map.of(), Map.of(), Map.of());
    }

    /** Hides the tool: it is left out of {@code tools/list} and calling it is answered as an unknown tool. */
    public ToolView hide() {
        return new ToolView(name, true, newName, description, title, fixed, allowed, schemas);
    }

    /** Clients see the tool as {@code newName}; its original name is unknown to them. */
    public ToolView rename(String newName) {
        nonEmpty(newName, "new name of tool '" + name + "'");
        if (newName.equals(name)) {
            throw new IllegalArgumentException("tool '" + name + "' is renamed to its own name");
        }
        if (newName.length() > 128) { // MCP tool names are at most 128 characters
            throw new IllegalArgumentException("new name of tool '" + name + "' is longer than 128 characters");
        }
        return new ToolView(name, hidden, newName, description, title, fixed, allowed, schemas);
    }

    /** Clients see {@code description} instead of the tool's own. */
    public ToolView describe(String description) {
        return new ToolView(name, hidden, newName, requireNonNull(description, "description"), title, fixed, allowed, schemas);
    }

    /** Clients see {@code title} instead of the tool's own. */
    public ToolView title(String title) {
        return new ToolView(name, hidden, newName, description, requireNonNull(title, "title"), fixed, allowed, schemas);
    }

    /** The gateway always sends {@code value} for {@code argument}, which clients no longer see in the schema. */
    public ToolView fix(String argument, Object value) {
        checkArgument(argument);
        requireNonNull(value, "value of argument '" + argument + "'");
        return new ToolView(name, hidden, newName, description, title, with(fixed, argument, value), allowed, schemas);
    }

    /** {@code argument}, a string, may take only these values (an {@code enum} in the schema). */
    public ToolView restrict(String argument, List<String> values) {
        checkArgument(argument);
        if (requireNonNull(values, "values").isEmpty()) {
            throw new IllegalArgumentException("tool '" + name + "': argument '" + argument + "' is restricted to no values");
        }
        return new ToolView(name, hidden, newName, description, title, fixed, with(allowed, argument, List.copyOf(values)), schemas);
    }

    /** {@code argument}'s schema is replaced by {@code schema} (JSON as plain Java values, e.g. {@code Map.of("type", "integer")}). */
    public ToolView schema(String argument, Map<String, Object> schema) {
        checkArgument(argument);
        return new ToolView(name, hidden, newName, description, title, fixed, allowed,
                with(schemas, argument, Map.copyOf(requireNonNull(schema, "schema"))));
    }

    /** An argument may be changed once per view: fixed, restricted or given a schema. */
    private void checkArgument(String argument) {
        nonEmpty(argument, "argument name of tool '" + name + "'");
        if (fixed.containsKey(argument) || allowed.containsKey(argument) || schemas.containsKey(argument)) {
            throw new IllegalArgumentException("tool '" + name + "': argument '" + argument + "' is already fixed or narrowed");
        }
    }

    private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
        Map<String, V> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static void nonEmpty(String value, String what) {
        requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be empty");
        }
    }
}
