package dev.agentgateway.mcp.internal.downstream;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Principal;
import dev.agentgateway.mcp.ToolView;
import dev.agentgateway.mcp.ToolViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ToolView}s of one request's caller, by original and by new name. Names here are the
 * client-visible names without views; authorization and the tool filter keep deciding on those.
 */
final class CallerViews {
    private static final Logger LOG = LoggerFactory.getLogger(CallerViews.class);

    private final Map<String, ToolView> byName = new HashMap<>();
    private final Map<String, String> originals = new HashMap<>();
    private final ObjectMapper mapper;

    private CallerViews(ToolViews views, Principal principal, ObjectMapper mapper) {
        this.mapper = mapper;
        for (ToolView view : views.viewsFor(principal)) {
            if (byName.containsKey(view.name())) {
                continue; // the first view naming a tool wins
            }
            if (view.newName() != null && !view.hidden()) {
                if (originals.containsKey(view.newName())) {
                    LOG.warn("tool view renaming '{}' to '{}' clashes with another view of the same caller; left out",
                            view.name(), view.newName());
                    continue;
                }
                originals.put(view.newName(), view.name());
            }
            byName.put(view.name(), view);
        }
    }

    static CallerViews of(ToolViews views, Principal principal, ObjectMapper mapper) {
        return new CallerViews(views, principal, mapper);
    }

    /**
     * The original name of the tool a client calls {@code clientName}, or {@code null} when that name
     * is unknown to this caller: hidden, renamed away, or shadowed by another tool's new name.
     */
    String original(String clientName) {
        String original = originals.get(clientName);
        if (original != null) {
            return original;
        }
        ToolView view = byName.get(clientName);
        return view != null && (view.hidden() || view.newName() != null) ? null : clientName;
    }

    /**
     * Whether the tool originally named {@code name} is shadowed: a view gives another tool that name.
     * The view wins, so that a call of that name always reaches the same tool the list showed.
     */
    boolean shadowed(String name) {
        return originals.containsKey(name);
    }

    /** {@code tool} (a copy, named by its original client-visible name) as this caller sees it, or {@code null} when hidden. */
    ObjectNode list(ObjectNode tool) {
        ToolView view = byName.get(tool.path("name").asText());
        if (view == null) {
            return tool;
        }
        if (view.hidden()) {
            return null;
        }
        replace(tool, "name", view.newName());
        replace(tool, "description", view.description());
        replace(tool, "title", view.title());
        if (!(tool.get("inputSchema") instanceof ObjectNode schema)) {
            return tool;
        }
        ObjectNode properties = schema.get("properties") instanceof ObjectNode p ? p : null;
        for (String argument : view.fixed().keySet()) {
            if (properties != null) {
                properties.remove(argument);
            }
            if (schema.get("required") instanceof ArrayNode required) {
                for (Iterator<JsonNode> it = required.iterator(); it.hasNext(); ) {
                    if (it.next().asText().equals(argument)) {
                        it.remove();
                    }
                }
            }
        }
        if (!view.allowed().isEmpty() || !view.schemas().isEmpty()) {
            properties = properties != null ? properties : schema.putObject("properties");
            for (Map.Entry<String, List<String>> entry : view.allowed().entrySet()) {
                ObjectNode property = properties.get(entry.getKey()) instanceof ObjectNode p ? p : properties.putObject(entry.getKey());
                property.put("type", "string");
                property.set("enum", mapper.valueToTree(entry.getValue()));
            }
            for (Map.Entry<String, Map<String, Object>> entry : view.schemas().entrySet()) {
                properties.set(entry.getKey(), mapper.valueToTree(entry.getValue()));
            }
        }
        return tool;
    }

    private static void replace(ObjectNode tool, String field, String value) {
        if (value != null) {
            tool.put(field, value);
        }
    }

    /**
     * Checks the arguments of a call of {@code original} against its narrowed schema and sets its fixed
     * arguments, in {@code params} (a copy); returns why the arguments are refused, or {@code null}.
     */
    String call(String original, ObjectNode params) {
        ToolView view = byName.get(original);
        if (view == null) {
            return null;
        }
        JsonNode arguments = params.path("arguments");
        for (Map.Entry<String, List<String>> entry : view.allowed().entrySet()) {
            JsonNode value = arguments.get(entry.getKey());
            if (value != null && !(value.isTextual() && entry.getValue().contains(value.asText()))) {
                return "argument '" + entry.getKey() + "' must be one of " + entry.getValue();
            }
        }
        for (Map.Entry<String, Map<String, Object>> entry : view.schemas().entrySet()) {
            JsonNode value = arguments.get(entry.getKey());
            String problem = value == null ? null : violation(mapper.valueToTree(entry.getValue()), value);
            if (problem != null) {
                return "argument '" + entry.getKey() + "' " + problem;
            }
        }
        if (!view.fixed().isEmpty()) {
            ObjectNode fixed = params.get("arguments") instanceof ObjectNode a ? a : params.putObject("arguments");
            view.fixed().forEach((argument, value) -> fixed.set(argument, mapper.valueToTree(value)));
        }
        return null;
    }

    /** The small check of a replaced property schema: {@code type}, {@code enum} and {@code const}. */
    private static String violation(JsonNode schema, JsonNode value) {
        if (schema.get("type") instanceof JsonNode type && type.isTextual() && !hasType(value, type.asText())) {
            return "must be of type " + type.asText();
        }
        if (schema.get("enum") instanceof ArrayNode values && !contains(values, value)) {
            return "must be one of " + values;
        }
        if (schema.has("const") && !schema.get("const").equals(value)) {
            return "must be " + schema.get("const");
        }
        return null;
    }

    private static boolean contains(ArrayNode values, JsonNode value) {
        for (JsonNode candidate : values) {
            if (candidate.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.asDouble() == Math.rint(value.asDouble()));
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> true;
        };
    }
}
