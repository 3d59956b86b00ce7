package dev.agentgateway.policy.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The answers of the OAuth documents the gateway serves itself: the well-known metadata documents
 * (RFC 9728, RFC 8414) for GET and HEAD, and the client registration endpoint (RFC 7591). All are JSON,
 * {@code no-store} (they are built from the request's host, or are one client's registration) and
 * readable cross-origin: browser-based MCP clients fetch them from their own origin, without
 * credentials, so every answer carries {@code Access-Control-Allow-Origin: *} and OPTIONS preflights
 * are answered here.
 */
final class MetadataDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The methods of the metadata routes. */
    static final String[] METHODS = {"GET", "HEAD", "OPTIONS"};
    private static final String METHOD_LIST = String.join(", ", METHODS);

    private MetadataDocuments() {
    }

    /** The preflight answer of a metadata document. */
    static Response documentPreflight(Exchange exchange) {
        return preflight(exchange, METHOD_LIST);
    }

    static Response answer(Exchange exchange, ObjectNode document) throws JsonProcessingException {
        if ("OPTIONS".equals(exchange.method())) {
            return documentPreflight(exchange);
        }
        byte[] body = JSON.writeValueAsBytes(document);
        HttpFields.Mutable headers = headers("application/json");
        if ("HEAD".equals(exchange.method())) {
            return Response.of(200, headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length)), Body.empty());
        }
        return Response.of(200, headers, Body.of(body));
    }

    /** A JSON answer with the headers of every answer here. */
    static Response json(int status, byte[] body) {
        return Response.of(status, headers("application/json"), Body.of(body));
    }

    /** An OAuth error answer, {@code {"error":"...","error_description":"..."}} (RFC 6749 section 5.2, RFC 7591 section 3.2.2). */
    static Response error(int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode().put("error", error).put("error_description", description);
        try {
            return json(status, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer to a CORS preflight: any origin, these methods, the headers asked for, cached for a day. */
    static Response preflight(Exchange exchange, String methods) {
        Response response = Response.of(204);
        HttpFields.Mutable out = response.headers();
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        out.put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, methods);
        String asked = exchange.requestHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null && !asked.isBlank()) {
            out.put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        out.put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "86400");
        out.put(HttpHeader.ALLOW, methods);
        return response;
    }

    static HttpFields.Mutable headers(String contentType) {
        HttpFields.Mutable headers = HttpFields.build()
                .put(HttpHeader.CACHE_CONTROL, "no-store")
                .put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (contentType != null) {
            headers.put(HttpHeader.CONTENT_TYPE, contentType);
        }
        return headers;
    }
}
