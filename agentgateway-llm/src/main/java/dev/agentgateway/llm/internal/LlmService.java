package dev.agentgateway.llm.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.core.AttributeKey;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Response;
import dev.agentgateway.llm.LlmBackend;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.internal.front.AnthropicIngress;
import dev.agentgateway.llm.internal.guard.Guards;
import dev.agentgateway.llm.internal.provider.AnthropicAdapter;
import dev.agentgateway.llm.internal.provider.BedrockAdapter;
import dev.agentgateway.llm.internal.provider.GeminiAdapter;
import dev.agentgateway.llm.internal.provider.OpenAiAdapter;
import dev.agentgateway.llm.internal.provider.ProviderAdapter;

/**
 * The running {@link LlmBackend} of one gateway: its providers (with their own HTTP client), the
 * dispatcher, and the endpoints. {@link #inspect} parses the request body once and records the
 * {@link Operation} ({@code use_model} on the requested model) for policies.
 */
public final class LlmService implements Backend {
    /** The parsed request, kept between {@link #inspect} and {@link #handle}. */
    private static final AttributeKey<ObjectNode> PARSED = AttributeKey.of("llm.parsed_request", ObjectNode.class);

    private final LlmBackend config;
    private final Json json = new Json();
    private final Dispatcher dispatcher;
    private final ChatCompletionsEndpoint chat;
    private final MessagesEndpoint messages;

    public LlmService(LlmBackend config, GatewayContext gateway) {
        this.config = config;
        GenAiMetrics metrics = new GenAiMetrics(gateway.meterRegistry(), gateway.observationRegistry(), gateway.name());
        ProviderClients clients = new ProviderClients(gateway);
        Map<String, ProviderRuntime> providers = new LinkedHashMap<>();
        Map<String, List<String>> declared = new LinkedHashMap<>();
        for (LlmProvider provider : config.providers()) {
            if (provider.kind() == LlmProvider.Kind.ECHO) {
                providers.put(provider.name(), new EchoProviderRuntime(provider));
            } else {
                providers.put(provider.name(), new HttpProviderRuntime(provider, adapter(provider),
                        provider.kind() == LlmProvider.Kind.VERTEX_AI
                                ? new AnthropicAdapter(json, provider.defaultMaxTokens(), vertexPrefix(provider)) : null,
                        clients.of(provider), json));
            }
            declared.put(provider.name(), List.copyOf(provider.models()));
        }
        boolean webhooks = config.guards().stream().anyMatch(g -> g instanceof dev.agentgateway.llm.WebhookGuard);
        Guards guards = new Guards(config.guards(), webhooks ? clients.shared() : null, json);
        ModelCatalog catalog = new ModelCatalog(config.aliases(), declared, config.defaultModel());
        this.dispatcher = new Dispatcher(catalog, Map.copyOf(providers), config.maxAttempts(), config.ejectAfter(),
                config.ejectionCooldown().toNanos(), new RetryBudget(config.retryBudgetRatio(), config.retryBudgetMinimum()),
                metrics);
        this.chat = new ChatCompletionsEndpoint(json, dispatcher, metrics, guards);
        this.messages = new MessagesEndpoint(json, dispatcher, metrics, new AnthropicIngress(json), guards);
    }

    private ProviderAdapter adapter(LlmProvider provider) {
        return switch (provider.kind()) {
            case OPENAI, AZURE_OPENAI -> new OpenAiAdapter(json, provider.kind(), provider.apiVersion());
            case ANTHROPIC -> new AnthropicAdapter(json, provider.defaultMaxTokens(), null);
            case GEMINI -> new GeminiAdapter(json, null);
            case VERTEX_AI -> new GeminiAdapter(json, vertexPrefix(provider));
            case BEDROCK -> new BedrockAdapter(json, provider.defaultMaxTokens());
            case ECHO -> throw new IllegalArgumentException("the echo provider runs in process");
        };
    }

    private static String vertexPrefix(LlmProvider provider) {
        return "/v1/projects/" + provider.project() + "/locations/" + provider.location();
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The endpoint a path names, below the route (an optional {@code /v1} is ignored). */
    private static String endpoint(Exchange exchange) {
        String path = exchange.pathWithinRoute();
        if (path.startsWith("/v1/")) {
            path = path.substring(3);
        }
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }

    @Override
    public Response inspect(Exchange exchange) throws Exception {
        String endpoint = endpoint(exchange);
        boolean anthropic = endpoint.equals("/messages");
        boolean body = endpoint.equals("/chat/completions") || endpoint.equals("/embeddings") || anthropic;
        if (endpoint.equals("/models")) {
            exchange.attribute(Operation.KEY, new Operation("llm", "list_models", "Model", "", Map.of("endpoint", "models")));
            return null;
        }
        if (!body || !exchange.method().equals("POST")) {
            return null;
        }
        ObjectNode request;
        try {
            request = json.object(exchange.requestBodyBytes(), "the request body");
        } catch (LlmError error) {
            return anthropic ? MessagesEndpoint.error(json, error) : ChatCompletionsEndpoint.error(json, error);
        }
        exchange.attribute(PARSED, request);
        String model = Json.string(request, "model");
        String resourceId = model != null ? model : config.defaultModel() != null ? config.defaultModel() : "";
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("endpoint", endpoint.substring(1));
        context.put("stream", request.path("stream").asBoolean(false));
        context.put("api", anthropic ? "anthropic" : "openai");
        JsonNode maxTokens = request.has("max_completion_tokens") ? request.get("max_completion_tokens") : request.get("max_tokens");
        if (maxTokens != null && maxTokens.canConvertToLong()) {
            context.put("max_tokens", maxTokens.asLong());
        }
        exchange.attribute(Operation.KEY, new Operation("llm", "use_model", "Model", resourceId, context));
        return null;
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        String endpoint = endpoint(exchange);
        String method = exchange.method();
        switch (endpoint) {
            case "/chat/completions", "/embeddings", "/messages" -> {
                boolean anthropic = endpoint.equals("/messages");
                if (method.equals("POST") && exchange.attribute(Authorizer.KEY) != null) {
                    String model = Json.string(exchange.attribute(PARSED), "model");
                    if (!dispatcher.catalog().exists(model)) { // the same answer a hidden model gets
                        return errorIn(endpoint, dispatcher.catalog().missing(model, visible(exchange)));
                    }
                }
                if (!method.equals("POST")) {
                    LlmError error = new LlmError(405, "invalid_request_error", "method_not_allowed",
                            method + " is not allowed on " + endpoint + "; use POST", null, false);
                    return (anthropic ? MessagesEndpoint.error(json, error) : ChatCompletionsEndpoint.error(json, error))
                            .header("Allow", "POST");
                }
                ObjectNode request = exchange.attribute(PARSED);
                if (request == null) {
                    // A policy replaced the body after inspection: parse what the backend now gets.
                    try {
                        request = json.object(exchange.requestBodyBytes(), "the request body");
                    } catch (LlmError error) {
                        return anthropic ? MessagesEndpoint.error(json, error) : ChatCompletionsEndpoint.error(json, error);
                    }
                }
                return switch (endpoint) {
                    case "/chat/completions" -> chat.chat(exchange, request);
                    case "/embeddings" -> chat.embeddings(exchange, request);
                    default -> messages.handle(exchange, request);
                };
            }
            case "/models" -> {
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    return ChatCompletionsEndpoint.error(json, new LlmError(405, "invalid_request_error", "method_not_allowed",
                            method + " is not allowed on /models; use GET", null, false)).header("Allow", "GET");
                }
                return models(visible(exchange));
            }
            default -> {
                return ChatCompletionsEndpoint.error(json, new LlmError(404, "invalid_request_error", "unknown_url",
                        "Unknown request URL: " + method + " " + exchange.originalPath()
                                + ". This gateway serves /v1/chat/completions, /v1/models, /v1/embeddings and /v1/messages.",
                        null, false));
            }
        }
    }

    /**
     * A refusal on this route (a policy's 401 or 429, a failure while serving) in the error shape of the
     * endpoint the client called, so that OpenAI and Anthropic SDKs raise their own typed errors: the
     * Anthropic shape on {@code /messages}, OpenAI's everywhere else. The gateway's code is kept as the
     * OpenAI {@code code}; Anthropic's shape has no place for it.
     */
    @Override
    public Response errorResponse(Exchange exchange, GatewayException error) {
        ObjectNode parsed = exchange.attribute(PARSED);
        if (error.code().equals(GatewayException.HIDDEN) && parsed != null) {
            return errorIn(endpoint(exchange), dispatcher.catalog().missing(Json.string(parsed, "model"), visible(exchange)));
        }
        LlmError translated = new LlmError(error.status(), LlmError.typeFor(error.status()), error.code(), error.getMessage(),
                null, false);
        return endpoint(exchange).equals("/messages") ? MessagesEndpoint.error(json, translated)
                : ChatCompletionsEndpoint.error(json, translated);
    }

    private Response errorIn(String endpoint, LlmError error) {
        return endpoint.equals("/messages") ? MessagesEndpoint.error(json, error) : ChatCompletionsEndpoint.error(json, error);
    }

    /**
     * The models the caller may use, asked of the authorizer a policy stored ({@code use_model} on each),
     * for {@code /models} and for the list in a model-not-found error; all of them without one.
     */
    private static Predicate<String> visible(Exchange exchange) {
        Authorizer authorizer = exchange.attribute(Authorizer.KEY);
        return authorizer == null ? model -> true : model -> authorizer.allows(exchange,
                new Operation("llm", "use_model", "Model", model, Map.of("endpoint", "models")));
    }

    private Response models(Predicate<String> visible) {
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        for (String model : dispatcher.catalog().available()) {
            if (!visible.test(model)) {
                continue;
            }
            ObjectNode entry = data.addObject();
            entry.put("id", model);
            entry.put("object", "model");
            entry.put("created", 0);
            entry.put("owned_by", dispatcher.catalog().owner(model));
        }
        return json.response(200, list);
    }
}
