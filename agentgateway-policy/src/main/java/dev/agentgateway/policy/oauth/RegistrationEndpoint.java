package dev.agentgateway.policy.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Response;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The gateway's RFC 7591 registration endpoint for a pre-registered or proxied {@link ClientRegistration}. */
final class RegistrationEndpoint implements Backend {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METHODS = "POST, OPTIONS";
    private static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token");
    private static final List<String> ECHOED_STRINGS = List.of("client_name", "client_uri", "logo_uri", "scope", "tos_uri",
            "policy_uri", "software_id", "software_version");

    private final ClientRegistration registration;
    private final AuthorizationServerMetadata metadata;
    private final HttpClient client;

    RegistrationEndpoint(ClientRegistration registration, AuthorizationServerMetadata metadata, HttpClient client) {
        this.registration = registration;
        this.metadata = metadata;
        this.client = client;
    }

    @Override
    public Backend bind(GatewayContext gateway) throws Exception {
        if (registration.mode() != ClientRegistration.Mode.PROXY) {
            return this;
        }
        // a copy of the metadata of its own, for the provider's registration_endpoint
        return new RegistrationEndpoint(registration, (AuthorizationServerMetadata) metadata.bind(gateway), gateway.httpClient());
    }

    @Override
    public String name() {
        return "oauth-client-registration";
    }

    @Override
    public Response errorResponse(Exchange exchange, GatewayException error) {
        String code = error.status() == 413 || error.status() == 400 ? "invalid_client_metadata"
                : error.status() >= 500 ? "temporarily_unavailable" : "invalid_request";
        return MetadataDocuments.error(error.status(), code, error.getMessage());
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        if ("OPTIONS".equals(exchange.method())) {
            return MetadataDocuments.preflight(exchange, METHODS);
        }
        if (!"POST".equals(exchange.method())) {
            return MetadataDocuments.error(405, "invalid_request", "Client registration takes POST").header("Allow", METHODS);
        }
        byte[] body = exchange.requestBodyBytes(); // within the route's limit, else 413 through errorResponse
        JsonNode parsed;
        try {
            parsed = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return invalidMetadata("The request body is not JSON");
        }
        if (!(parsed instanceof ObjectNode request)) {
            return invalidMetadata("The request body must be a JSON object of client metadata");
        }
        Response invalid = checkRedirectUris(request.get("redirect_uris"));
        if (invalid != null) {
            return invalid;
        }
        if (registration.mode() == ClientRegistration.Mode.PROXY) {
            return forward(exchange, body);
        }
        return registered(request);
    }

    private Response checkRedirectUris(JsonNode uris) {
        if (!(uris instanceof ArrayNode array) || array.isEmpty()) {
            return invalidRedirectUri("redirect_uris must be a non-empty array of URIs");
        }
        for (JsonNode uri : array) {
            if (!uri.isTextual()) {
                return invalidRedirectUri("redirect_uris must hold strings");
            }
            URI parsed;
            try {
                parsed = new URI(uri.asText());
            } catch (URISyntaxException e) {
                return invalidRedirectUri("Not a URI: " + uri.asText());
            }
            if (!parsed.isAbsolute() || parsed.getRawFragment() != null || parsed.getRawUserInfo() != null) {
                return invalidRedirectUri("A redirect URI must be absolute, without fragment or user info: " + uri.asText());
            }
            if (!registration.redirectUriAllowed(parsed)) {
                return invalidRedirectUri("This gateway does not register the redirect URI " + uri.asText());
            }
        }
        return null;
    }

    /** The pre-registered client, as RFC 7591 section 3.2.1 answers: the registered metadata, as the gateway replaced it. */
    private Response registered(ObjectNode request) throws JsonProcessingException {
        ObjectNode answer = JSON.createObjectNode().put("client_id", registration.clientId());
        answer.set("redirect_uris", request.get("redirect_uris"));
        JsonNode grantTypes = request.get("grant_types");
        if (grantTypes == null) {
            answer.putArray("grant_types").add("authorization_code").add("refresh_token");
        } else if (!allStrings(grantTypes, GRANT_TYPES)) {
            return invalidMetadata("grant_types may hold authorization_code and refresh_token only");
        } else {
            answer.set("grant_types", grantTypes);
        }
        JsonNode responseTypes = request.get("response_types");
        if (responseTypes != null && !allStrings(responseTypes, Set.of("code"))) {
            return invalidMetadata("response_types may hold code only");
        }
        answer.putArray("response_types").add("code");
        answer.put("token_endpoint_auth_method", "none"); // a public client: whatever was asked, there is no secret to hand out
        for (String field : ECHOED_STRINGS) {
            JsonNode value = request.get(field);
            if (value != null && !value.isTextual()) {
                return invalidMetadata(field + " must be a string");
            }
            if (value != null) {
                answer.set(field, value);
            }
        }
        JsonNode contacts = request.get("contacts");
        if (contacts != null) {
            if (!allStrings(contacts, null)) {
                return invalidMetadata("contacts must be an array of strings");
            }
            answer.set("contacts", contacts);
        }
        return MetadataDocuments.json(201, JSON.writeValueAsBytes(answer));
    }

    private Response forward(Exchange exchange, byte[] body) {
        URI target;
        try {
            JsonNode endpoint = metadata.providerDocument().get("registration_endpoint");
            target = endpoint == null || !endpoint.isTextual() ? null : URI.create(endpoint.asText());
        } catch (GatewayException | IllegalArgumentException e) {
            LOG.warn("No registration endpoint of the identity provider: {}", e.toString());
            return MetadataDocuments.error(502, "temporarily_unavailable", "The identity provider's metadata cannot be fetched");
        }
        if (target == null || !target.isAbsolute()) {
            return MetadataDocuments.error(502, "temporarily_unavailable",
                    "The identity provider announces no registration_endpoint");
        }
        String authorization = exchange.requestHeaders().get(HttpHeader.AUTHORIZATION); // an RFC 7591 initial access token
        ContentResponse answer;
        try {
            answer = client.newRequest(target).method(HttpMethod.POST)
                    .timeout(registration.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> {
                        h.put(HttpHeader.ACCEPT, "application/json");
                        if (authorization != null) {
                            h.put(HttpHeader.AUTHORIZATION, authorization);
                        }
                    })
                    .body(new BytesRequestContent("application/json", body))
                    .send();
        } catch (TimeoutException e) {
            LOG.warn("The registration endpoint {} did not answer in time", target);
            return MetadataDocuments.error(504, "temporarily_unavailable", "The identity provider did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return MetadataDocuments.error(503, "temporarily_unavailable", "Interrupted");
        } catch (Exception e) {
            LOG.warn("Cannot reach the registration endpoint {}: {}", target, e.toString());
            return MetadataDocuments.error(502, "temporarily_unavailable", "The identity provider cannot be reached");
        }
        String contentType = answer.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return Response.of(answer.getStatus(), MetadataDocuments.headers(contentType), Body.of(answer.getContent()));
    }

    /** Whether {@code node} is an array of strings, each one of {@code allowed} unless that is {@code null}. */
    private static boolean allStrings(JsonNode node, Set<String> allowed) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode item : node) {
            if (!item.isTextual() || allowed != null && !allowed.contains(item.asText())) {
                return false;
            }
        }
        return true;
    }

    private static Response invalidRedirectUri(String description) {
        return MetadataDocuments.error(400, "invalid_redirect_uri", description);
    }

    private static Response invalidMetadata(String description) {
        return MetadataDocuments.error(400, "invalid_client_metadata", description);
    }
}
