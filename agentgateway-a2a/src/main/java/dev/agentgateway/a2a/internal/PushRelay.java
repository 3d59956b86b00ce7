package dev.agentgateway.a2a.internal;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.a2a.PushNotifications;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.Response;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of push notifications ({@link PushNotifications.Mode#RELAY}): webhook configs clients send
 * are replaced with the gateway's callback URL and a token it issues; notifications the agent posts
 * there are checked and forwarded to the client's own URL with the client's own token and credentials.
 * Relays live in memory, the oldest forgotten first beyond the configured number.
 */
final class PushRelay {
    static final String PATH = "/_push/";
    /** The header in which agents send a config's token (the A2A JS SDK's default). */
    static final String TOKEN_HEADER = "X-A2A-Notification-Token";
    private static final Logger LOG = LoggerFactory.getLogger(PushRelay.class);

    private record Target(String url, JsonNode token, JsonNode authentication, String issuedToken) {
    }

    private final PushNotifications config;
    private final WebhookGuard guard;
    private final HttpClient client;
    private final A2aMetrics metrics;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Target> targets = new LinkedHashMap<>();

    PushRelay(PushNotifications config, WebhookGuard guard, HttpClient client, A2aMetrics metrics) {
        this.config = config;
        this.guard = guard;
        this.client = client;
        this.metrics = metrics;
    }

    /** Replaces the client's webhook in {@code pushConfig} with a relay under {@code relayBase}. */
    void register(ObjectNode pushConfig, String relayBase) {
        String id = randomId();
        String issued = randomId();
        Target target = new Target(pushConfig.path("url").asText(), pushConfig.get("token"), pushConfig.get("authentication"), issued);
        lock.lock();
        try {
            targets.put(id, target);
            Iterator<String> oldest = targets.keySet().iterator();
            while (targets.size() > config.maxRelays() && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        } finally {
            lock.unlock();
        }
        pushConfig.put("url", relayBase + PATH + id);
        pushConfig.put("token", issued);
        pushConfig.remove("authentication");
    }

    /** Puts the clients' own URLs, tokens and credentials back into every relayed config found in {@code answer}. */
    boolean restore(JsonNode answer) {
        boolean changed = false;
        if (answer instanceof ObjectNode object) {
            JsonNode url = object.get("url");
            if (url != null && url.isTextual()) {
                Target target = find(url.asText());
                if (target != null) {
                    object.put("url", target.url());
                    if (target.token() == null) {
                        object.remove("token");
                    } else {
                        object.set("token", target.token());
                    }
                    if (target.authentication() != null) {
                        object.set("authentication", target.authentication());
                    }
                    changed = true;
                }
            }
        }
        if (answer != null && answer.isContainerNode()) {
            for (JsonNode child : answer) {
                changed |= restore(child);
            }
        }
        return changed;
    }

    private Target find(String url) {
        int at = url.lastIndexOf(PATH);
        if (at < 0) {
            return null;
        }
        String id = url.substring(at + PATH.length());
        lock.lock();
        try {
            Target target = targets.get(id);
            return target != null && url.endsWith(PATH + id) ? target : null;
        } finally {
            lock.unlock();
        }
    }

    /** Forwards a notification the agent posted to {@code relayId} to the client's webhook. */
    Response deliver(Exchange exchange, String relayId, String agent) throws Exception {
        Target target;
        lock.lock();
        try {
            target = targets.get(relayId);
        } finally {
            lock.unlock();
        }
        String token = exchange.requestHeaders().get(TOKEN_HEADER);
        if (target == null || token == null || !constantTimeEquals(token, target.issuedToken())) {
            metrics.pushDelivery(agent, "rejected");
            return JsonRpcErrors.rest(404, "NOT_FOUND", "No push notification relay matches this URL and token");
        }
        String refusal = guard.check(target.url());
        if (refusal != null) {
            metrics.pushDelivery(agent, "rejected");
            LOG.warn("push relay {}: delivery refused: {}", relayId, refusal);
            return JsonRpcErrors.rest(502, "UNAVAILABLE", "Delivery refused: " + refusal);
        }
        byte[] body = exchange.requestBodyBytes();
        String contentType = exchange.requestHeaders().get(HttpHeader.CONTENT_TYPE);
        var request = client.newRequest(URI.create(target.url()))
                .method("POST")
                .timeout(config.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .body(new BytesRequestContent(contentType == null ? "application/json" : contentType, body));
        request.headers(headers -> {
            String a2aVersion = exchange.requestHeaders().get("A2A-Version");
            if (a2aVersion != null) {
                headers.put("A2A-Version", a2aVersion);
            }
            if (target.token() != null && target.token().isTextual() && !target.token().asText().isEmpty()) {
                headers.put(TOKEN_HEADER, target.token().asText());
            }
            String authorization = authorization(target.authentication());
            if (authorization != null) {
                headers.put(HttpHeader.AUTHORIZATION, authorization);
            }
        });
        try {
            ContentResponse answer = request.send();
            if (answer.getStatus() / 100 == 2) {
                metrics.pushDelivery(agent, "delivered");
                return Response.of(answer.getStatus() == 204 ? 204 : 200);
            }
            metrics.pushDelivery(agent, "failed");
            return JsonRpcErrors.rest(502, "UNAVAILABLE", "The client's webhook answered " + answer.getStatus());
        } catch (Exception e) {
            metrics.pushDelivery(agent, "failed");
            return JsonRpcErrors.rest(502, "UNAVAILABLE", "The client's webhook could not be reached: " + e.getMessage());
        }
    }

    /** {@code Authorization} from a config's {@code authentication}: v1.0 {@code {scheme, credentials}}, v0.3 {@code {schemes[], credentials}}. */
    private static String authorization(JsonNode authentication) {
        if (authentication == null || !authentication.hasNonNull("credentials")) {
            return null;
        }
        String scheme = authentication.path("scheme").asText("");
        if (scheme.isEmpty() && authentication.path("schemes").isArray() && !authentication.path("schemes").isEmpty()) {
            scheme = authentication.path("schemes").get(0).asText("");
        }
        String credentials = authentication.get("credentials").asText();
        return scheme.isEmpty() ? credentials : scheme + " " + credentials;
    }

    private String randomId() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
