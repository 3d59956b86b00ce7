package dev.agentgateway.policy.oauth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;

/** Serves the RFC 9728 protected resource metadata document of one {@link ProtectedResource}. */
final class ResourceMetadata implements Backend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProtectedResource resource;

    ResourceMetadata(ProtectedResource resource) {
        this.resource = resource;
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        ObjectNode document = JSON.createObjectNode();
        document.put("resource", resource.resource(exchange).toString());
        resource.authorizationServers(exchange).forEach(document.putArray("authorization_servers")::add);
        if (!resource.scopesSupported().isEmpty()) {
            resource.scopesSupported().forEach(document.putArray("scopes_supported")::add);
        }
        document.putArray("bearer_methods_supported").add("header");
        if (resource.resourceName() != null) {
            document.put("resource_name", resource.resourceName());
        }
        // no-store: derived from the request when no resource is configured, so never shared between hosts
        return MetadataDocuments.answer(exchange, document);
    }

    @Override
    public String name() {
        return "oauth-protected-resource";
    }
}
