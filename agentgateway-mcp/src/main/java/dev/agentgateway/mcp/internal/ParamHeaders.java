package dev.agentgateway.mcp.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpFields;

/**
 * The {@code Mcp-Param-*} headers of modern {@code tools/call} requests: a tool argument whose schema
 * property carries {@code "x-mcp-header": "<Name>"} must travel in {@code Mcp-Param-<Name>} too, and
 * the gateway checks header against body (it decides on the body, so a lying header must not pass).
 * Annotations are read from the tools as the caller lists them, and only where the spec allows them:
 * string, integer or boolean properties reached from the root through {@code properties} alone.
 */
public final class ParamHeaders {
    /** One annotated argument: its header name and the path of property names to it. */
    public record Annotated(String header, List<String> path) {
    }

    private final Map<String, List<Annotated>> byTool;

    private ParamHeaders(Map<String, List<Annotated>> byTool) {
        this.byTool = byTool;
    }

    /** Reads the annotations of every tool in a merged {@code tools/list} result's {@code tools}. */
    public static ParamHeaders of(Iterable<JsonNode> tools) {
        Map<String, List<Annotated>> byTool = new HashMap<>();
        for (JsonNode tool : tools) {
            List<Annotated> found = new ArrayList<>();
            collect(tool.path("inputSchema"), new ArrayList<>(), found);
            if (!found.isEmpty()) {
                byTool.put(tool.path("name").asText(), List.copyOf(found));
            }
        }
        return new ParamHeaders(byTool);
    }

    private static void collect(JsonNode schema, List<String> path, List<Annotated> found) {
        if (!(schema.get("properties") instanceof ObjectNode properties)) {
            return;
        }
        properties.fields().forEachRemaining(property -> {
            List<String> at = new ArrayList<>(path);
            at.add(property.getKey());
            JsonNode header = property.getValue().get("x-mcp-header");
            if (header != null && header.isTextual() && !header.asText().isBlank()) {
                found.add(new Annotated(header.asText(), List.copyOf(at)));
            }
            collect(property.getValue(), at, found);
        });
    }

    /** These annotations with those of {@code tools} (a page of a target's list) added or replaced. */
    public ParamHeaders with(Iterable<JsonNode> tools) {
        Map<String, List<Annotated>> merged = new HashMap<>(byTool);
        for (JsonNode tool : tools) {
            merged.remove(tool.path("name").asText());
        }
        merged.putAll(of(tools).byTool);
        return new ParamHeaders(merged);
    }

    /** No annotations known. */
    public static ParamHeaders none() {
        return new ParamHeaders(Map.of());
    }

    /** Why the headers do not match the call's arguments, or {@code null} when they do. */
    public String mismatch(String tool, JsonNode arguments, HttpFields headers) {
        List<Annotated> annotated = byTool.get(tool);
        if (annotated == null) {
            return null;
        }
        for (Annotated argument : annotated) {
            JsonNode value = arguments;
            for (String name : argument.path()) {
                value = value == null ? null : value.get(name);
            }
            String headerName = ModernMeta.PARAM_HEADER_PREFIX + argument.header();
            String raw = headers.get(headerName);
            boolean hasValue = value != null && !value.isNull();
            if (!hasValue) {
                if (raw != null) {
                    return headerName + " is sent but the argument '" + String.join(".", argument.path()) + "' is not";
                }
                continue;
            }
            if (raw == null) {
                return "the " + headerName + " header is required (argument '" + String.join(".", argument.path()) + "')";
            }
            String decoded = HeaderValues.decode(raw);
            if (decoded == null) {
                return headerName + " is not valid base64 UTF-8";
            }
            if (!matches(value, decoded)) {
                return headerName + " does not match the argument '" + String.join(".", argument.path()) + "'";
            }
        }
        return null;
    }

    /** The {@code Mcp-Param-*} headers a call of {@code tool} with {@code arguments} must carry, by header name. */
    public Map<String, String> headersFor(String tool, JsonNode arguments) {
        List<Annotated> annotated = byTool.get(tool);
        if (annotated == null) {
            return Map.of();
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Annotated argument : annotated) {
            JsonNode value = arguments;
            for (String name : argument.path()) {
                value = value == null ? null : value.get(name);
            }
            if (value != null && (value.isTextual() || value.isBoolean() || value.isIntegralNumber())) {
                headers.put(ModernMeta.PARAM_HEADER_PREFIX + argument.header(), HeaderValues.encode(value.asText()));
            }
        }
        return headers;
    }

    private static boolean matches(JsonNode value, String header) {
        if (value.isTextual()) {
            return value.asText().equals(header);
        }
        if (value.isBoolean()) {
            return header.equals(value.asBoolean() ? "true" : "false");
        }
        if (value.isNumber()) {
            try {
                return new BigDecimal(header).compareTo(value.decimalValue()) == 0; // 42.0 == 42
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return header.toLowerCase(Locale.ROOT).equals(value.toString().toLowerCase(Locale.ROOT));
    }
}
