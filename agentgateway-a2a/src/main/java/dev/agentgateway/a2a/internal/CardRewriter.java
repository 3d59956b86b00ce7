package dev.agentgateway.a2a.internal;

import java.net.URI;
import java.util.Iterator;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.a2a.CardSecurity;

/**
 * Rewrites an agent card so that every interface URL in it points back through the gateway: the v0.3
 * {@code url} and each {@code additionalInterfaces[].url}, the v1.0 {@code supportedInterfaces[].url},
 * and both in hybrid cards.
 *
 * <p>An interface URL is mapped by its path: the part below the agent's upstream anchor (the path the
 * route's public prefix leads to upstream), matched on a segment boundary, is appended to the public
 * base. Interfaces the gateway cannot route (gRPC, which this module does not proxy, or a path outside
 * the anchor) are removed, since they would let callers reach the agent around the gateway.
 * Signatures are removed too: the rewritten card no longer matches what the agent signed.
 */
public final class CardRewriter {
    private final String publicBase;
    private final String anchor;
    private final CardSecurity security;

    /**
     * @param publicBase the agent's address on the gateway, such as {@code https://gw.example/agents/planner}
     *                   (no trailing slash)
     * @param anchor the upstream path the public base leads to, such as {@code ""} or {@code /a2a} (no trailing slash)
     */
    public CardRewriter(String publicBase, String anchor) {
        this(publicBase, anchor, null);
    }

    /** @param security the gateway's security to state instead of the agent's, or {@code null} to keep the agent's */
    public CardRewriter(String publicBase, String anchor, CardSecurity security) {
        this.publicBase = stripSlash(publicBase);
        this.anchor = stripSlash(anchor);
        this.security = security;
    }

    /** Rewrites {@code card} in place and returns it. */
    public ObjectNode rewrite(ObjectNode card) {
        JsonNode url = card.get("url");
        if (url != null && url.isTextual()) {
            String preferred = text(card, "preferredTransport");
            if (preferred.equalsIgnoreCase("GRPC")) {
                // The gateway's prefix itself accepts JSON-RPC, so that is what the card now prefers.
                card.put("preferredTransport", "JSONRPC");
                card.put("url", publicBase);
            } else {
                String mapped = map(url.asText());
                card.put("url", mapped == null ? publicBase : mapped);
            }
        }
        rewriteInterfaces(card.get("additionalInterfaces"), "transport");
        rewriteInterfaces(card.get("supportedInterfaces"), "protocolBinding");
        card.remove("signatures");
        if (security != null) {
            security.applyTo(card);
        }
        return card;
    }

    private void rewriteInterfaces(JsonNode interfaces, String bindingField) {
        if (!(interfaces instanceof ArrayNode array)) {
            return;
        }
        for (Iterator<JsonNode> it = array.iterator(); it.hasNext(); ) {
            JsonNode entry = it.next();
            if (!(entry instanceof ObjectNode object)) {
                it.remove();
                continue;
            }
            String binding = text(object, bindingField);
            if (binding.isEmpty()) {
                binding = text(object, bindingField.equals("transport") ? "protocolBinding" : "transport");
            }
            String mapped = binding.toUpperCase(Locale.ROOT).equals("GRPC") ? null : map(text(object, "url"));
            if (mapped == null) {
                it.remove();
            } else {
                object.put("url", mapped);
            }
        }
    }

    /** The public URL for an upstream interface URL, or {@code null} when the gateway cannot route it. */
    public String map(String upstreamUrl) {
        URI uri;
        try {
            uri = URI.create(upstreamUrl);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String path = uri.getRawPath() == null ? "" : stripSlash(uri.getRawPath());
        String rest;
        if (anchor.isEmpty()) {
            rest = path;
        } else if (path.equals(anchor)) {
            rest = "";
        } else if (path.startsWith(anchor + "/")) {
            rest = path.substring(anchor.length());
        } else {
            return null;
        }
        return publicBase + rest + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : "";
    }

    static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
