package dev.agentgateway.a2a.internal;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the gateway remembers of an agent's own card: the upstream paths of its JSON-RPC interfaces per
 * protocol version (where a JSON-RPC call posted to the agent's prefix itself is sent) and its skill ids.
 *
 * @param jsonRpc10 the upstream path of the v1.0 JSON-RPC interface, or {@code null}
 * @param jsonRpc03 the upstream path of the v0.3 JSON-RPC interface, or {@code null}
 * @param skills the ids of the skills the card lists
 */
public record CardFacts(String jsonRpc10, String jsonRpc03, List<String> skills) {

    public static final CardFacts UNKNOWN = new CardFacts(null, null, List.of());

    public CardFacts {
        skills = List.copyOf(skills);
    }

    /** Reads a card of either generation (or a hybrid). */
    public static CardFacts of(JsonNode card) {
        String v10 = null;
        String v03 = null;
        for (JsonNode entry : card.path("supportedInterfaces")) {
            if (!entry.path("protocolBinding").asText().equalsIgnoreCase("JSONRPC")) {
                continue;
            }
            String version = entry.path("protocolVersion").asText("");
            String path = path(entry.path("url").asText(null));
            if (version.startsWith("0.")) {
                v03 = v03 == null ? path : v03;
            } else {
                v10 = v10 == null ? path : v10;
            }
        }
        if (v03 == null && card.hasNonNull("url")) {
            String preferred = card.path("preferredTransport").asText("JSONRPC").toUpperCase(Locale.ROOT);
            if (preferred.equals("JSONRPC")) {
                v03 = path(card.path("url").asText(null));
            }
        }
        if (v03 == null) {
            for (JsonNode entry : card.path("additionalInterfaces")) {
                if (entry.path("transport").asText().equalsIgnoreCase("JSONRPC")) {
                    v03 = path(entry.path("url").asText(null));
                    break;
                }
            }
        }
        List<String> skills = new ArrayList<>();
        for (JsonNode skill : card.path("skills")) {
            if (skill.hasNonNull("id")) {
                skills.add(skill.get("id").asText());
            }
        }
        return new CardFacts(v10, v03, skills);
    }

    /** The upstream path for a JSON-RPC call of this version ({@code "0.3"}, {@code "1.0"} or {@code ""}), or {@code null}. */
    public String jsonRpcPath(String version) {
        if (version.equals("0.3")) {
            return jsonRpc03 != null ? jsonRpc03 : jsonRpc10;
        }
        return jsonRpc10 != null ? jsonRpc10 : jsonRpc03;
    }

    /** The one skill of an agent that has exactly one, else {@code null}. */
    public String onlySkill() {
        return skills.size() == 1 ? skills.get(0) : null;
    }

    private static String path(String url) {
        if (url == null) {
            return null;
        }
        try {
            String path = URI.create(url).getRawPath();
            return path == null || path.isEmpty() ? "/" : path;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
