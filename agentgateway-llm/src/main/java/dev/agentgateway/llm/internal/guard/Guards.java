package dev.agentgateway.llm.internal.guard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.LlmGuard;
import dev.agentgateway.llm.RegexGuard;
import dev.agentgateway.llm.WebhookGuard;
import dev.agentgateway.llm.internal.Json;
import dev.agentgateway.llm.internal.LlmError;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/** The prompt guards of a backend, applied to requests, complete responses and streams. */
public final class Guards {
    private final List<LlmGuard> guards;
    private final HttpClient client;
    private final Json json;

    public Guards(List<LlmGuard> guards, HttpClient client, Json json) {
        this.guards = List.copyOf(guards);
        this.client = client;
        this.json = json;
    }

    /** Whether there is no guard at all. */
    public boolean isEmpty() {
        return guards.isEmpty();
    }

    public boolean checksResponses() {
        return guards.stream().anyMatch(g -> g instanceof RegexGuard r && r.responses());
    }

    /** Masks, rewrites or rejects (throwing) the messages of a chat request, in place. */
    public void checkRequest(ObjectNode request) {
        for (LlmGuard guard : guards) {
            switch (guard) {
                case RegexGuard regex -> {
                    if (regex.requests()) {
                        for (JsonNode message : request.path("messages")) {
                            if (message instanceof ObjectNode m) {
                                checkContent(regex, m, "content");
                            }
                        }
                    }
                }
                case WebhookGuard webhook -> callWebhook(webhook, request);
            }
        }
    }

    private void checkContent(RegexGuard guard, ObjectNode holder, String field) {
        JsonNode content = holder.get(field);
        if (content != null && content.isTextual()) {
            holder.put(field, apply(guard, content.asText(), "request"));
        } else if (content instanceof ArrayNode parts) {
            for (JsonNode part : parts) {
                if (part instanceof ObjectNode p && p.path("text").isTextual()) {
                    p.put("text", apply(guard, p.get("text").asText(), "request"));
                }
            }
        }
    }

    /** Masks matches of every mask rule; throws on a match of a reject rule. */
    static String apply(RegexGuard guard, String text, String what) {
        String result = text;
        for (RegexGuard.Rule rule : guard.rules()) {
            Matcher matcher = rule.detector().pattern().matcher(result);
            StringBuilder out = null;
            int last = 0;
            while (matcher.find()) {
                if (!rule.detector().check().test(matcher.group())) {
                    continue;
                }
                if (rule.action() == RegexGuard.Action.REJECT) {
                    throw rejected(rule, what);
                }
                if (out == null) {
                    out = new StringBuilder(result.length());
                }
                out.append(result, last, matcher.start()).append(rule.replacement());
                last = matcher.end();
            }
            if (out != null) {
                result = out.append(result, last, result.length()).toString();
            }
        }
        return result;
    }

    static LlmError rejected(RegexGuard.Rule rule, String what) {
        return new LlmError(403, "permission_error", "guardrail_rejected",
                "The " + what + " was rejected by a prompt guard: it contains " + rule.detector().name().replace('_', ' '), null, false);
    }

    /** Masks or rejects (throwing) the choices of a complete response, in place. */
    public void checkResponse(ObjectNode completion) {
        for (LlmGuard guard : guards) {
            if (guard instanceof RegexGuard regex && regex.responses()) {
                for (JsonNode choice : completion.path("choices")) {
                    if (choice.get("message") instanceof ObjectNode message && message.path("content").isTextual()) {
                        message.put("content", apply(regex, message.get("content").asText(), "response"));
                    }
                }
            }
        }
    }

    /** A filter for a stream of chunks; {@code cancel} stops the provider's stream after a rejection. */
    public StreamGuard streamGuard(Consumer<ObjectNode> out, Consumer<LlmError> cancel) {
        List<RegexGuard> regexes = new ArrayList<>();
        for (LlmGuard guard : guards) {
            if (guard instanceof RegexGuard regex && regex.responses()) {
                regexes.add(regex);
            }
        }
        return new StreamGuard(regexes, out, cancel);
    }

    private void callWebhook(WebhookGuard webhook, ObjectNode request) {
        ObjectNode body = Json.object();
        body.set("model", request.get("model"));
        body.set("messages", request.get("messages"));
        JsonNode answer;
        try {
            ContentResponse response = client.newRequest(webhook.url())
                    .method("POST")
                    .timeout(webhook.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .body(new BytesRequestContent("application/json", json.bytes(body)))
                    .send();
            if (response.getStatus() != 200) {
                throw new IllegalStateException("the guard webhook answered " + response.getStatus());
            }
            answer = json.parseOrNull(response.getContent());
            if (answer == null || !answer.isObject()) {
                throw new IllegalStateException("the guard webhook's answer is not a JSON object");
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (webhook.failOpen()) {
                return;
            }
            throw new LlmError(503, "api_error", "guardrail_unavailable",
                    "The request could not be checked by the guard webhook: " + e.getMessage(), null, false);
        }
        String action = Json.string(answer, "action");
        switch (action == null ? "" : action) {
            case "allow" -> {
            }
            case "reject" -> {
                int status = answer.path("status").asInt(403);
                throw new LlmError(status >= 400 && status <= 599 ? status : 403, LlmError.typeFor(status >= 400 && status <= 599 ? status : 403),
                        "guardrail_rejected", answer.path("message").asText("The request was rejected by a guard"), null, false);
            }
            case "rewrite" -> {
                JsonNode messages = answer.get("messages");
                if (messages == null || !messages.isArray()) {
                    throw new LlmError(502, "api_error", "guardrail_failed", "the guard webhook rewrote the request without 'messages'",
                            null, false);
                }
                request.set("messages", messages);
            }
            default -> throw new LlmError(502, "api_error", "guardrail_failed",
                    "the guard webhook answered an unknown action '" + action + "'", null, false);
        }
    }
}
