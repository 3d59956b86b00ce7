package dev.agentgateway.policy.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the key file of a {@link FileApiKeyStore}. Strict on purpose: an unknown field is an error,
 * because a misspelt {@code expiresAt} would otherwise make a key live for ever.
 */
final class ApiKeyFile {
    private static final ObjectReader JSON = new ObjectMapper().reader();
    private static final Set<String> FIELDS = Set.of("name", "sha256", "subject", "roles", "metadata", "expiresAt");

    private ApiKeyFile() {
    }

    static ApiKeyIndex read(Path file) throws IOException {
        return parse(Files.readAllBytes(file));
    }

    static ApiKeyIndex parse(byte[] content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            // the parser's own message quotes the offending text, which may be a key pasted by mistake
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException("not valid JSON" + (at == null ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (root == null || !root.isObject() || !root.path("keys").isArray() || root.size() != 1) {
            throw new IllegalArgumentException("expected an object with one field, \"keys\", an array");
        }
        List<ApiKey> keys = new ArrayList<>();
        int position = 0;
        for (JsonNode entry : root.get("keys")) {
            keys.add(entry(entry, position++));
        }
        return ApiKeyIndex.of(keys);
    }

    private static ApiKey entry(JsonNode entry, int position) {
        String where = "keys[" + position + "]";
        if (!entry.isObject()) {
            throw new IllegalArgumentException(where + ": expected an object");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(where + ": unknown field \"" + field + "\"");
            }
        }
        String name = text(entry, "name", where, true);
        where = where + " (" + name + ")";
        ApiKey.Builder key = ApiKey.builder(name);
        try {
            key.sha256Hex(text(entry, "sha256", where, true));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": sha256: " + e.getMessage());
        }
        String subject = text(entry, "subject", where, false);
        if (subject != null) {
            key.subject(subject);
        }
        key.roles(roles(entry.path("roles"), where));
        key.metadata(metadata(entry.path("metadata"), where));
        String expiresAt = text(entry, "expiresAt", where, false);
        if (expiresAt != null) {
            try {
                key.expiresAt(Instant.parse(expiresAt));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": expiresAt must be an ISO-8601 instant such as 2027-01-01T00:00:00Z");
            }
        }
        return key.build();
    }

    private static String text(JsonNode entry, String field, String where, boolean required) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": \"" + field + "\" is required");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a non-empty string");
        }
        return value.asText();
    }

    private static Set<String> roles(JsonNode roles, String where) {
        Set<String> result = new HashSet<>();
        if (roles.isMissingNode() || roles.isNull()) {
            return result;
        }
        if (!roles.isArray()) {
            throw new IllegalArgumentException(where + ": \"roles\" must be an array of strings");
        }
        for (JsonNode role : roles) {
            if (!role.isTextual()) {
                throw new IllegalArgumentException(where + ": \"roles\" must be an array of strings");
            }
            result.add(role.asText());
        }
        return result;
    }

    private static Map<String, String> metadata(JsonNode metadata, String where) {
        Map<String, String> result = new LinkedHashMap<>();
        if (metadata.isMissingNode() || metadata.isNull()) {
            return result;
        }
        if (!metadata.isObject()) {
            throw new IllegalArgumentException(where + ": \"metadata\" must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> field : metadata.properties()) {
            if (!field.getValue().isTextual()) {
                throw new IllegalArgumentException(where + ": metadata \"" + field.getKey() + "\" must be a string");
            }
            result.put(field.getKey(), field.getValue().asText());
        }
        return result;
    }
}
