package dev.agentgateway.mcp.internal.downstream;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.mcp.internal.Json;
import dev.agentgateway.mcp.internal.SealedTokens;

/**
 * Client session ids: a {@link SessionState} sealed with AES-GCM (see {@link SealedTokens}). The id is
 * visible ASCII (base64url), unguessable (random nonce, a random field inside) and self-contained.
 */
public final class SessionTokens {
    private static final String PURPOSE = "mcp-session-v1";

    private final SealedTokens tokens;
    private final Json json;

    public SessionTokens(SealedTokens tokens, Json json) {
        this.tokens = tokens;
        this.json = json;
    }

    public String issue(SessionState state) {
        ObjectNode payload = json.object();
        payload.put("p", state.protocolVersion());
        payload.set("c", state.clientCapabilities());
        payload.set("i", state.clientInfo());
        ArrayNode upstreams = payload.putArray("u");
        for (SessionState.Upstream upstream : state.upstreams()) {
            ArrayNode entry = upstreams.addArray().add(upstream.target());
            entry.add(upstream.sessionId());
            entry.add(upstream.protocolVersion());
        }
        if (state.owner() != null) {
            payload.put("o", state.owner());
        }
        payload.put("r", tokens.randomId(9));
        return tokens.seal(PURPOSE, json.bytes(payload));
    }

    /** The state a token carries, or {@code null} when it is not a token of this key. */
    public SessionState open(String token) {
        byte[] plain = tokens.open(PURPOSE, token);
        if (plain == null) {
            return null;
        }
        try {
            JsonNode payload = json.parse(plain);
            List<SessionState.Upstream> upstreams = new ArrayList<>();
            for (JsonNode entry : payload.path("u")) {
                upstreams.add(new SessionState.Upstream(entry.path(0).asText(), text(entry.path(1)), text(entry.path(2))));
            }
            return new SessionState(payload.path("p").asText(), (ObjectNode) payload.get("c"), (ObjectNode) payload.get("i"),
                    upstreams, null, text(payload.get("o")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }
}
