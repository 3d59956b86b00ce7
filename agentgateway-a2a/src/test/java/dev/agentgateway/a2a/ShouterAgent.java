package dev.agentgateway.a2a;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real {@code @a2a-js/sdk} agent of {@code src/test/js/agent.mjs} (v1.0 and v0.3, JSON-RPC at
 * {@code /rpc}, REST at {@code /rest}, streaming, push notifications) as a JUnit extension for a static
 * field. Asking for its URL starts it, so a gateway extension may be configured with it.
 */
final class ShouterAgent implements AfterAllCallback {
    private NodePeer peer;
    private int port;

    /** {@code http://127.0.0.1:PORT}. */
    String url() {
        if (peer == null) {
            try {
                peer = NodePeer.start("agent.mjs", Map.of());
                port = peer.await("listening", Duration.ofSeconds(30)).get("listening").asInt();
            } catch (Exception e) {
                throw new IllegalStateException("the @a2a-js/sdk agent did not start: " + e.getMessage(), e);
            }
        }
        return "http://127.0.0.1:" + port;
    }

    /** Every HTTP request the agent received so far: {@code {method, url, forwardedHost, version}}. */
    List<JsonNode> requests() {
        return peer.all("request");
    }

    /** Every event the agent published so far: {@code {taskId, label, at}}. */
    List<JsonNode> published() {
        return peer.all("published");
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }
}
