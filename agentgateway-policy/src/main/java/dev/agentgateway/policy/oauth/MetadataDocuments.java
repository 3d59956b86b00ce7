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
 * The answer of a well-known metadata document (RFC 9728, RFC 8414) for GET and HEAD: JSON, and
 * {@code no-store}, because both documents are built from the request's host.
 */
final class MetadataDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetadataDocuments() {
    }

    static Response answer(Exchange exchange, ObjectNode document) throws JsonProcessingException {
        byte[] body = JSON.writeValueAsBytes(document);
        HttpFields.Mutable headers = HttpFields.build()
                .put(HttpHeader.CONTENT_TYPE, "application/json")
                .put(HttpHeader.CACHE_CONTROL, "no-store");
        if ("HEAD".equals(exchange.method())) {
            return Response.of(200, headers.put(HttpHeader.CONTENT_LENGTH, Long.toString(body.length)), Body.empty());
        }
        return Response.of(200, headers, Body.of(body));
    }
}
