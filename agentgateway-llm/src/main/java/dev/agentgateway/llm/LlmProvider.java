package dev.agentgateway.llm;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import dev.agentgateway.core.Checks;
import dev.agentgateway.core.UpstreamTls;

/**
 * One LLM provider an {@link LlmBackend} can send requests to: its wire format ({@link Kind}), base
 * URL, credentials and limits. Create one with the factory for its kind, adjust it, and hand the builder
 * (or the built value) to {@link LlmBackend.Builder#provider}.
 *
 * <pre>{@code
 * LlmProvider.anthropic("claude", System.getenv("ANTHROPIC_API_KEY"));
 * LlmProvider.openAi("openai");                                  // key from OPENAI_API_KEY
 * LlmProvider.vllm("local", "http://127.0.0.1:8000/v1");          // any OpenAI-compatible server
 * LlmProvider.bedrock("aws", "us-east-1");                        // keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
 * LlmProvider.gemini("google", key).baseUrl("http://127.0.0.1:9000").timeout(Duration.ofSeconds(20));
 * }</pre>
 *
 * <p>An {@code https} base URL is verified against the JVM's trusted CAs unless {@link Builder#tls} says
 * otherwise, as for a self-hosted model server behind a private CA or one that requires mTLS:
 *
 * <pre>{@code
 * LlmProvider.vllm("local", "https://vllm.internal:8443/v1")
 *     .tls(UpstreamTls.builder()
 *         .caBundle(Path.of("/etc/tls/internal-ca.pem"))
 *         .clientCertificate(Path.of("/etc/tls/gateway.crt"), Path.of("/etc/tls/gateway.key"))
 *         .build());
 * }</pre>
 *
 * <p>Credentials come from the builder or, when not given, from the provider's standard environment
 * variables; a provider that needs credentials and has none fails at {@link Builder#build()} with a
 * message naming the provider and the variables it looked at.
 */
public final class LlmProvider {
    private final String name;
    private final Kind kind;
    private final URI baseUrl;
    private final String apiKey;
    private final AccessTokenSupplier accessToken;
    private final String awsAccessKeyId;
    private final String awsSecretAccessKey;
    private final String awsSessionToken;
    private final String region;
    private final String project;
    private final String location;
    private final String apiVersion;
    private final boolean bearerAuth;
    private final int defaultMaxTokens;
    private final Duration timeout;
    private final Set<String> models;
    private final boolean embeddings;
    private final UpstreamTls tls;

    private LlmProvider(Builder b, String resolvedKey, String keyId, String secret, String session) {
        this.name = b.name;
        this.kind = b.kind;
        this.baseUrl = b.baseUrl;
        this.apiKey = resolvedKey;
        this.accessToken = b.accessToken;
        this.awsAccessKeyId = keyId;
        this.awsSecretAccessKey = secret;
        this.awsSessionToken = session;
        this.region = b.region;
        this.project = b.project;
        this.location = b.location;
        this.apiVersion = b.apiVersion;
        this.bearerAuth = b.bearerAuth;
        this.defaultMaxTokens = b.defaultMaxTokens;
        this.timeout = b.timeout;
        this.models = Set.copyOf(b.models);
        this.embeddings = b.embeddings;
        this.tls = b.tls;
    }

    /** The wire format and authentication a provider speaks. */
    public enum Kind {
        /** OpenAI Chat Completions and every OpenAI-compatible server; {@code Authorization: Bearer}. */
        OPENAI("openai"),
        /** Azure OpenAI: deployments URL with {@code api-version}, or the {@code /openai/v1} form; {@code api-key}. */
        AZURE_OPENAI("azure.ai.openai"),
        /** Anthropic Messages; {@code x-api-key} (or Bearer) and {@code anthropic-version}. */
        ANTHROPIC("anthropic"),
        /** Google Gemini API ({@code generateContent}); {@code x-goog-api-key}. */
        GEMINI("gcp.gemini"),
        /** Google Vertex AI: Gemini models and Anthropic models ({@code rawPredict}); OAuth bearer token. */
        VERTEX_AI("gcp.vertex_ai"),
        /** Amazon Bedrock Converse and ConverseStream; AWS SigV4 or a Bedrock API key. */
        BEDROCK("aws.bedrock"),
        /** An in-process provider that echoes the last user message: demos and tests, no network. */
        ECHO("echo");

        private final String semanticName;

        Kind(String semanticName) {
            this.semanticName = semanticName;
        }

        /** The OpenTelemetry {@code gen_ai.provider.name} value. */
        public String semanticName() {
            return semanticName;
        }
    }

    // ---- factories -------------------------------------------------------------------------------

    /** OpenAI; the key from {@code OPENAI_API_KEY} when not given. */
    public static Builder openAi(String name) {
        return new Builder(name, Kind.OPENAI, "https://api.openai.com/v1").keyEnv("OPENAI_API_KEY").keyRequired(true);
    }

    /** OpenAI with this API key. */
    public static Builder openAi(String name, String apiKey) {
        return openAi(name).apiKey(apiKey);
    }

    /** Any OpenAI-compatible server at {@code baseUrl} (ending in {@code /v1} as a rule); no key needed. */
    public static Builder openAiCompatible(String name, String baseUrl) {
        return new Builder(name, Kind.OPENAI, baseUrl).keyRequired(false);
    }

    /** vLLM's OpenAI-compatible server, such as {@code http://127.0.0.1:8000/v1}. */
    public static Builder vllm(String name, String baseUrl) {
        return openAiCompatible(name, baseUrl).keyEnv("VLLM_API_KEY");
    }

    /** Ollama on this machine ({@code http://127.0.0.1:11434/v1}). */
    public static Builder ollama(String name) {
        return openAiCompatible(name, "http://127.0.0.1:11434/v1");
    }

    /** llama.cpp's {@code llama-server} on this machine ({@code http://127.0.0.1:8080/v1}). */
    public static Builder llamaCpp(String name) {
        return openAiCompatible(name, "http://127.0.0.1:8080/v1");
    }

    /** LM Studio on this machine ({@code http://127.0.0.1:1234/v1}). */
    public static Builder lmStudio(String name) {
        return openAiCompatible(name, "http://127.0.0.1:1234/v1");
    }

    /** Groq; the key from {@code GROQ_API_KEY} when not given. */
    public static Builder groq(String name) {
        return openAiCompatible(name, "https://api.groq.com/openai/v1").keyEnv("GROQ_API_KEY").keyRequired(true);
    }

    /** Mistral; the key from {@code MISTRAL_API_KEY} when not given. */
    public static Builder mistral(String name) {
        return openAiCompatible(name, "https://api.mistral.ai/v1").keyEnv("MISTRAL_API_KEY").keyRequired(true);
    }

    /** Together AI; the key from {@code TOGETHER_API_KEY} when not given. */
    public static Builder together(String name) {
        return openAiCompatible(name, "https://api.together.xyz/v1").keyEnv("TOGETHER_API_KEY").keyRequired(true);
    }

    /** Fireworks AI; the key from {@code FIREWORKS_API_KEY} when not given. */
    public static Builder fireworks(String name) {
        return openAiCompatible(name, "https://api.fireworks.ai/inference/v1").keyEnv("FIREWORKS_API_KEY").keyRequired(true);
    }

    /** Cohere's OpenAI compatibility endpoint; the key from {@code CO_API_KEY} or {@code COHERE_API_KEY}. */
    public static Builder cohere(String name) {
        return openAiCompatible(name, "https://api.cohere.ai/compatibility/v1")
                .keyEnv("CO_API_KEY").keyEnv("COHERE_API_KEY").keyRequired(true);
    }

    /**
     * Azure OpenAI at {@code endpoint} ({@code https://RESOURCE.openai.azure.com}); the request's model
     * names the deployment. Uses the deployments URL with {@link Builder#apiVersion api-version}
     * {@code 2024-10-21} unless {@code apiVersion("v1")} selects the {@code /openai/v1} form. The key from
     * {@code AZURE_OPENAI_API_KEY} when neither a key nor an {@link Builder#accessToken Entra token} is given.
     */
    public static Builder azureOpenAi(String name, String endpoint) {
        return new Builder(name, Kind.AZURE_OPENAI, endpoint).keyEnv("AZURE_OPENAI_API_KEY").keyRequired(true)
                .apiVersion("2024-10-21");
    }

    /** Azure OpenAI with this API key. */
    public static Builder azureOpenAi(String name, String endpoint, String apiKey) {
        return azureOpenAi(name, endpoint).apiKey(apiKey);
    }

    /** Anthropic; the key from {@code ANTHROPIC_API_KEY} when not given. */
    public static Builder anthropic(String name) {
        return new Builder(name, Kind.ANTHROPIC, "https://api.anthropic.com").keyEnv("ANTHROPIC_API_KEY").keyRequired(true);
    }

    /** Anthropic with this API key. */
    public static Builder anthropic(String name, String apiKey) {
        return anthropic(name).apiKey(apiKey);
    }

    /** Google Gemini API; the key from {@code GEMINI_API_KEY} or {@code GOOGLE_API_KEY} when not given. */
    public static Builder gemini(String name) {
        return new Builder(name, Kind.GEMINI, "https://generativelanguage.googleapis.com")
                .keyEnv("GEMINI_API_KEY").keyEnv("GOOGLE_API_KEY").keyRequired(true);
    }

    /** Google Gemini API with this key. */
    public static Builder gemini(String name, String apiKey) {
        return gemini(name).apiKey(apiKey);
    }

    /**
     * Google Vertex AI in {@code project} and {@code location} (such as {@code us-central1} or
     * {@code global}), authenticated with OAuth access tokens from {@code tokens}. Models whose name
     * starts with {@code claude} go to Anthropic on Vertex ({@code rawPredict}), others to Gemini.
     */
    public static Builder vertexAi(String name, String project, String location, AccessTokenSupplier tokens) {
        requireNonNull(project, "project");
        requireNonNull(location, "location");
        String host = location.equals("global") ? "aiplatform.googleapis.com" : location + "-aiplatform.googleapis.com";
        Builder builder = new Builder(name, Kind.VERTEX_AI, "https://" + host).keyRequired(false);
        builder.project = nonBlank(project, "project");
        builder.location = nonBlank(location, "location");
        return builder.accessToken(tokens);
    }

    /**
     * Amazon Bedrock (Converse API) in {@code region}; credentials from {@code AWS_ACCESS_KEY_ID},
     * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN}, or a Bedrock API key from
     * {@code AWS_BEARER_TOKEN_BEDROCK}, when not given.
     */
    public static Builder bedrock(String name, String region) {
        Builder builder = new Builder(name, Kind.BEDROCK,
                "https://bedrock-runtime." + nonBlank(region, "region") + ".amazonaws.com").keyEnv("AWS_BEARER_TOKEN_BEDROCK");
        builder.region = region;
        return builder;
    }

    /** Amazon Bedrock signed (SigV4) with these credentials. */
    public static Builder bedrock(String name, String region, String accessKeyId, String secretAccessKey) {
        return bedrock(name, region).awsCredentials(accessKeyId, secretAccessKey);
    }

    /** An in-process provider that answers with the last user message (streaming word by word): offline demos. */
    public static Builder echo(String name) {
        return new Builder(name, Kind.ECHO, "http://echo.invalid").keyRequired(false);
    }

    // ---- accessors -------------------------------------------------------------------------------

    /** The name that prefixes model names ({@code name/model}) and appears in logs and metrics. */
    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    /** The base URL requests are sent under. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The API key (or Bedrock API key), or {@code null}. */
    public String apiKey() {
        return apiKey;
    }

    /** The OAuth token source, or {@code null}. */
    public AccessTokenSupplier accessToken() {
        return accessToken;
    }

    public String awsAccessKeyId() {
        return awsAccessKeyId;
    }

    public String awsSecretAccessKey() {
        return awsSecretAccessKey;
    }

    /** The AWS session token for temporary credentials, or {@code null}. */
    public String awsSessionToken() {
        return awsSessionToken;
    }

    /** The AWS region (Bedrock), or {@code null}. */
    public String region() {
        return region;
    }

    /** The Google Cloud project (Vertex AI), or {@code null}. */
    public String project() {
        return project;
    }

    /** The Google Cloud location (Vertex AI), or {@code null}. */
    public String location() {
        return location;
    }

    /** The Azure OpenAI {@code api-version}, or {@code "v1"} for the {@code /openai/v1} form. */
    public String apiVersion() {
        return apiVersion;
    }

    /** Whether the key goes in {@code Authorization: Bearer} rather than the provider's own header. */
    public boolean bearerAuth() {
        return bearerAuth;
    }

    /** {@code max_tokens} sent when the client gives none and the provider requires one (Anthropic, Bedrock). */
    public int defaultMaxTokens() {
        return defaultMaxTokens;
    }

    /** The longest wait for the provider's response headers (and whole body when not streaming). */
    public Duration timeout() {
        return timeout;
    }

    /** Model names clients may ask for without the {@code name/} prefix. */
    public Set<String> models() {
        return models;
    }

    /** Whether {@code /v1/embeddings} may be sent to this provider. */
    public boolean embeddings() {
        return embeddings;
    }

    /** Trust, client certificate and server name towards an {@code https} base URL, or {@code null} for the JVM's trust. */
    public UpstreamTls tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "LlmProvider[" + name + ", " + kind + ", " + baseUrl + "]";
    }

    private static String nonBlank(String value, String field) {
        requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }

    /** Builds an {@link LlmProvider}; every setter checks its argument at once. */
    public static final class Builder {
        private final String name;
        private final Kind kind;
        private URI baseUrl;
        private String apiKey;
        private final List<String> keyEnv = new ArrayList<>();
        private boolean keyRequired;
        private AccessTokenSupplier accessToken;
        private String awsAccessKeyId;
        private String awsSecretAccessKey;
        private String awsSessionToken;
        private String region;
        private String project;
        private String location;
        private String apiVersion;
        private boolean bearerAuth;
        private int defaultMaxTokens = 4096;
        private Duration timeout = Duration.ofSeconds(120);
        private final Set<String> models = new LinkedHashSet<>();
        private boolean embeddings;
        private Function<String, String> environment = System::getenv;
        private UpstreamTls tls;

        private Builder(String name, Kind kind, String baseUrl) {
            this.name = nonBlank(name, "name");
            if (name.contains("/")) {
                throw new IllegalArgumentException("provider name must not contain '/': " + name);
            }
            this.kind = kind;
            baseUrl(baseUrl);
            this.embeddings = kind == Kind.OPENAI || kind == Kind.AZURE_OPENAI || kind == Kind.ECHO;
        }

        /** Sends requests under this base URL instead of the provider's own (tests, proxies, self-hosting). */
        public Builder baseUrl(String baseUrl) {
            requireNonNull(baseUrl, "baseUrl");
            URI uri;
            try {
                uri = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("provider '" + name + "': baseUrl is not a URL: " + baseUrl, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new IllegalArgumentException("provider '" + name + "': baseUrl must be an http or https URL: " + baseUrl);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("provider '" + name + "': baseUrl must not have a query or fragment: " + baseUrl);
            }
            this.baseUrl = uri;
            return this;
        }

        /** The API key (for Bedrock: a Bedrock API key, sent as a bearer token instead of SigV4). */
        public Builder apiKey(String apiKey) {
            this.apiKey = nonBlank(apiKey, "apiKey");
            return this;
        }

        /** OAuth access tokens (Vertex AI; Microsoft Entra ID for Azure OpenAI). */
        public Builder accessToken(AccessTokenSupplier tokens) {
            this.accessToken = requireNonNull(tokens, "accessToken");
            return this;
        }

        /** AWS credentials for SigV4 (Bedrock). */
        public Builder awsCredentials(String accessKeyId, String secretAccessKey) {
            this.awsAccessKeyId = nonBlank(accessKeyId, "accessKeyId");
            this.awsSecretAccessKey = nonBlank(secretAccessKey, "secretAccessKey");
            return this;
        }

        /** The session token that goes with temporary AWS credentials. */
        public Builder awsSessionToken(String sessionToken) {
            this.awsSessionToken = nonBlank(sessionToken, "sessionToken");
            return this;
        }

        /** Azure OpenAI {@code api-version} (default {@code 2024-10-21}); {@code "v1"} selects the {@code /openai/v1} form. */
        public Builder apiVersion(String apiVersion) {
            this.apiVersion = nonBlank(apiVersion, "apiVersion");
            return this;
        }

        /** Sends the key as {@code Authorization: Bearer} (Anthropic accepts both; default its {@code x-api-key}). */
        public Builder bearerAuth(boolean bearer) {
            this.bearerAuth = bearer;
            return this;
        }

        /** {@code max_tokens} to send when the client gives none and the provider requires it (default 4096). */
        public Builder defaultMaxTokens(int maxTokens) {
            if (maxTokens < 1) {
                throw new IllegalArgumentException("defaultMaxTokens must be at least 1: " + maxTokens);
            }
            this.defaultMaxTokens = maxTokens;
            return this;
        }

        /** Longest wait for the response headers, and for the whole body when not streaming (default 120 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /** Models clients may name without the {@code provider/} prefix; also listed by {@code /v1/models}. */
        public Builder models(String... models) {
            for (String model : models) {
                this.models.add(nonBlank(model, "model"));
            }
            return this;
        }

        /** Whether {@code /v1/embeddings} goes to this provider (default true for OpenAI and Azure OpenAI only). */
        public Builder embeddings(boolean enabled) {
            if (enabled && kind != Kind.OPENAI && kind != Kind.AZURE_OPENAI && kind != Kind.ECHO) {
                throw new IllegalArgumentException("provider '" + name + "': embeddings are served by OpenAI-style providers only, not " + kind);
            }
            this.embeddings = enabled;
            return this;
        }

        /**
         * How the gateway verifies an {@code https} base URL and authenticates to it with a certificate
         * (default: the JVM's trusted CAs, no client certificate); see {@link UpstreamTls}. A provider
         * with its own TLS gets its own connections.
         */
        public Builder tls(UpstreamTls tls) {
            this.tls = requireNonNull(tls, "tls");
            return this;
        }

        /** Where environment variables are read (default {@link System#getenv(String)}); for tests. */
        public Builder environment(Function<String, String> environment) {
            this.environment = requireNonNull(environment, "environment");
            return this;
        }

        private Builder keyEnv(String variable) {
            keyEnv.add(variable);
            return this;
        }

        private Builder keyRequired(boolean required) {
            this.keyRequired = required;
            return this;
        }

        /** Resolves credentials (builder first, then environment) and checks them. */
        public LlmProvider build() {
            String key = apiKey;
            for (int i = 0; key == null && i < keyEnv.size(); i++) {
                key = blankToNull(environment.apply(keyEnv.get(i)));
            }
            String keyId = awsAccessKeyId;
            String secret = awsSecretAccessKey;
            String session = awsSessionToken;
            switch (kind) {
                case BEDROCK -> {
                    if (keyId == null && apiKey == null) {
                        keyId = blankToNull(environment.apply("AWS_ACCESS_KEY_ID"));
                        secret = blankToNull(environment.apply("AWS_SECRET_ACCESS_KEY"));
                        session = session != null ? session : blankToNull(environment.apply("AWS_SESSION_TOKEN"));
                    }
                    if (keyId != null && secret == null) {
                        throw new IllegalStateException("provider '" + name + "' (Bedrock): AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
                    }
                    if (keyId == null && key == null) {
                        throw new IllegalStateException("provider '" + name + "' (Bedrock) has no credentials: give awsCredentials(...) or apiKey(...),"
                                + " or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_BEARER_TOKEN_BEDROCK)");
                    }
                    if (keyId != null) {
                        key = apiKey; // SigV4 wins over an ambient Bedrock API key unless one was given explicitly
                    }
                }
                case VERTEX_AI -> {
                    if (accessToken == null) {
                        throw new IllegalStateException("provider '" + name + "' (Vertex AI) has no accessToken(...) supplier");
                    }
                }
                default -> {
                    if (keyRequired && key == null && accessToken == null) {
                        throw new IllegalStateException("provider '" + name + "' (" + kind + ") has no API key: give apiKey(...)"
                                + (keyEnv.isEmpty() ? "" : " or set " + String.join(" or ", keyEnv)));
                    }
                }
            }
            return new LlmProvider(this, key, keyId, secret, session);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }
}
