package dev.agentgateway.a2a;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the gateway requires of callers, stated in the agent cards it serves. When the gateway
 * terminates authentication (an {@code Authentication} policy on the route) and the agent behind it
 * is reached with the gateway's own credentials, the agent's own {@code securitySchemes} describe a
 * login the caller can no longer do: the gateway replaces them, and the requirements that name them
 * (the card's and each skill's), with these. Each scheme is an alternative: any one of them satisfies
 * the card's requirement.
 *
 * <pre>{@code
 * A2aBackend.builder().url(agentUrl)
 *         .cardSecurity(CardSecurity.anyOf(
 *                 CardSecurity.bearer("gateway-jwt", "JWT"),
 *                 CardSecurity.apiKey("gateway-key", "x-api-key")))
 *         .build();
 * }</pre>
 *
 * <p>Rendered in each card's own version: OpenAPI-style objects with {@code security} on v0.3 and
 * hybrid cards, the v1.0 {@code oneof} wrappers with {@code securityRequirements} on v1.0 cards.
 */
public final class CardSecurity {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The kinds of scheme a card can state. */
    public enum Kind { BEARER, API_KEY, OPEN_ID_CONNECT, OAUTH2 }

    /**
     * One way to authenticate, under the name the card's requirements use.
     *
     * @param detail the bearer format (or {@code null}), the API key's header, the OIDC discovery URL or
     *               the OAuth metadata URL, by kind
     */
    public record Scheme(String name, Kind kind, String detail, List<String> scopes) {
        public Scheme {
            requireNonNull(name, "name");
            requireNonNull(kind, "kind");
            scopes = List.copyOf(scopes);
            if (name.isBlank()) {
                throw new IllegalArgumentException("a security scheme needs a name");
            }
        }
    }

    private final List<Scheme> schemes;

    private CardSecurity(List<Scheme> schemes) {
        this.schemes = List.copyOf(schemes);
    }

    /** Any one of these schemes is enough; names must be unique. */
    public static CardSecurity anyOf(Scheme... schemes) {
        if (schemes.length == 0) {
            throw new IllegalArgumentException("at least one security scheme is needed");
        }
        Set<String> names = new LinkedHashSet<>();
        for (Scheme scheme : schemes) {
            if (!names.add(requireNonNull(scheme, "scheme").name())) {
                throw new IllegalArgumentException("security scheme '" + scheme.name() + "' is listed twice");
            }
        }
        return new CardSecurity(List.of(schemes));
    }

    /** HTTP bearer authentication ({@code Authorization: Bearer}); {@code bearerFormat} such as {@code JWT}, or {@code null}. */
    public static Scheme bearer(String name, String bearerFormat) {
        return new Scheme(name, Kind.BEARER, bearerFormat, List.of());
    }

    /** An API key in the named request header. */
    public static Scheme apiKey(String name, String header) {
        return new Scheme(name, Kind.API_KEY, requireNonNull(header, "header"), List.of());
    }

    /** OpenID Connect: the discovery document's URL, and the scopes the card requires. */
    public static Scheme openIdConnect(String name, String discoveryUrl, String... scopes) {
        return new Scheme(name, Kind.OPEN_ID_CONNECT, requireNonNull(discoveryUrl, "discoveryUrl"), List.of(scopes));
    }

    /** OAuth 2.0 known by its authorization-server metadata URL (RFC 8414), and the scopes required. */
    public static Scheme oauth2(String name, String metadataUrl, String... scopes) {
        return new Scheme(name, Kind.OAUTH2, requireNonNull(metadataUrl, "metadataUrl"), List.of(scopes));
    }

    /** The schemes, in order. */
    public List<Scheme> schemes() {
        return schemes;
    }

    /** Replaces the security of {@code card} (v0.3, hybrid or v1.0) with these schemes, in place. */
    public void applyTo(ObjectNode card) {
        boolean v03 = card.has("url"); // v0.3 and hybrid cards have a top-level url; v1.0 cards do not
        ObjectNode definitions = JSON.objectNode();
        var requirements = JSON.arrayNode();
        for (Scheme scheme : schemes) {
            definitions.set(scheme.name(), v03 ? openApi(scheme) : v10(scheme));
            ObjectNode requirement = requirements.addObject();
            var scopes = JSON.arrayNode();
            scheme.scopes().forEach(scopes::add);
            if (v03) {
                requirement.set(scheme.name(), scopes);
            } else {
                requirement.putObject("schemes").putObject(scheme.name()).set("list", scopes);
            }
        }
        card.set("securitySchemes", definitions);
        card.remove(List.of("security", "securityRequirements"));
        card.set(v03 ? "security" : "securityRequirements", requirements);
        // skill requirements name the agent's schemes, which are gone: the card's requirement applies
        if (card.get("skills") instanceof ArrayNode skills) {
            for (var skill : skills) {
                if (skill instanceof ObjectNode object) {
                    object.remove(List.of("security", "securityRequirements"));
                }
            }
        }
    }

    private static ObjectNode openApi(Scheme scheme) {
        ObjectNode node = JSON.objectNode();
        switch (scheme.kind()) {
            case BEARER -> {
                node.put("type", "http").put("scheme", "bearer");
                if (scheme.detail() != null) {
                    node.put("bearerFormat", scheme.detail());
                }
            }
            case API_KEY -> node.put("type", "apiKey").put("in", "header").put("name", scheme.detail());
            case OPEN_ID_CONNECT -> node.put("type", "openIdConnect").put("openIdConnectUrl", scheme.detail());
            case OAUTH2 -> node.put("type", "oauth2").put("oauth2MetadataUrl", scheme.detail()).putObject("flows");
        }
        return node;
    }

    private static ObjectNode v10(Scheme scheme) {
        ObjectNode node = JSON.objectNode();
        switch (scheme.kind()) {
            case BEARER -> {
                ObjectNode http = node.putObject("httpAuthSecurityScheme").put("scheme", "Bearer");
                if (scheme.detail() != null) {
                    http.put("bearerFormat", scheme.detail());
                }
            }
            case API_KEY -> node.putObject("apiKeySecurityScheme").put("location", "header").put("name", scheme.detail());
            case OPEN_ID_CONNECT -> node.putObject("openIdConnectSecurityScheme").put("openIdConnectUrl", scheme.detail());
            case OAUTH2 -> node.putObject("oauth2SecurityScheme").put("oauth2MetadataUrl", scheme.detail()).putObject("flows");
        }
        return node;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        schemes.forEach(scheme -> names.add(scheme.name() + ":" + scheme.kind()));
        return "CardSecurity" + names;
    }
}
