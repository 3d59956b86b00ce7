package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Response;
import dev.agentgateway.mcp.internal.AllowedHosts;
import dev.agentgateway.mcp.internal.McpEndpoint;
import dev.agentgateway.mcp.internal.McpSettings;

/**
 * An MCP gateway backend: federates several MCP servers ({@link McpTarget}s) behind one endpoint that
 * speaks Streamable HTTP (POST, GET, DELETE with {@code Mcp-Session-Id}, resumable event streams) and
 * the legacy HTTP+SSE transport (a GET without session id opens the event stream and announces the
 * message endpoint), MCP protocol versions 2024-11-05 to 2025-11-25; and, on the same endpoint, the
 * stateless 2026-07-28 revision (see <b>Modern clients</b> below).
 *
 * <pre>{@code
 * Gateway.builder()
 *        .route(Route.builder("tools").path("/mcp")
 *                .backend(McpBackend.builder()
 *                        .target(McpTarget.stdio("everything", "npx", "-y", "@modelcontextprotocol/server-everything"))
 *                        .target(McpTarget.streamableHttp("weather", URI.create("http://127.0.0.1:9001/mcp")))
 *                        .build()))
 *        .start();
 * }</pre>
 *
 * <p>Clients see one server: tools and prompts are named {@code target_name} and resource URIs
 * {@code target+uri} (see {@link PrefixMode}); lists fan out to every target in parallel and merge;
 * calls go to the target that owns the name; server-initiated requests (sampling, elicitation, roots)
 * and notifications reach the right client stream. Every field the gateway does not own passes through
 * untouched.
 *
 * <p><b>Sessions.</b> A client session owns one upstream session per target. Its {@code Mcp-Session-Id}
 * is a self-contained token, encrypted with AES-GCM under {@link Builder#sessionKey(byte[])}, that names
 * the upstream sessions: a second gateway configured with the same key resumes the session without a
 * shared store. Sessions idle for longer than {@link Builder#sessionIdleTimeout(Duration)} end, and at most
 * {@link Builder#maxSessions(int)} live in one gateway: a new session beyond that ends the one unused
 * the longest, whose client gets 404 and initialises again, as the spec tells clients to.
 * A session belongs to the caller that created it ({@link Exchange#principal()}, by scheme and subject,
 * or anonymous): presented by anyone else it is answered as an unknown session (404), so a leaked id
 * does not give one caller another's session.
 *
 * <p><b>Modern clients.</b> A POST without {@code Mcp-Session-Id} whose {@code _meta} (or
 * {@code MCP-Protocol-Version}) names 2026-07-28 is served statelessly: its version, capabilities and
 * mirrored headers ({@code Mcp-Method}, {@code Mcp-Name}, {@code Mcp-Param-*} of annotated tool
 * arguments) are checked with the spec's errors ({@code -32020}, {@code -32022}, {@code -32602}, 404 for
 * legacy-only methods); {@code server/discover} answers the federated capabilities;
 * {@code subscriptions/listen} streams list changes and resource updates. Legacy targets are reached
 * through gateway-held sessions, one per principal and set of client capabilities. When such a target
 * asks the client something during a call (sampling, elicitation, roots), the modern client gets an
 * {@code input_required} result whose {@code requestState} is sealed and bound to the caller, the
 * request and one round; the target's call waits for the retry, at most
 * {@link Builder#inputRequestTimeout(Duration)}, in this gateway's memory (several replicas need sticky
 * routing for such calls). Results carry {@code resultType}, {@code _meta} server info and, where the
 * spec asks, {@code ttlMs: 0, cacheScope: "private"}.
 *
 * <p>For every request the backend records a core {@link dev.agentgateway.core.Operation} (protocol
 * {@code "mcp"}; actions such as {@code call_tool}, {@code list_tools}, {@code get_prompt},
 * {@code read_resource}; the context holds {@code method}, {@code target} and {@code arguments}) before
 * policies run, so authorization and rate limits can decide on it.
 *
 * <p><b>Per-caller visibility.</b> When an authorization policy stores a
 * {@link dev.agentgateway.core.Authorizer} on the exchange under {@link dev.agentgateway.core.Authorizer#KEY},
 * lists leave out, across targets and pages, every item it refuses: each tool is asked about as
 * {@code ("mcp", "call_tool", "Tool", <name as the client sees it>, {method, target, name: the target's own name})},
 * prompts as {@code get_prompt}/{@code Prompt}, resources and templates as {@code read_resource}/{@code Resource}
 * (by URI or URI template). A call, get, read, (un)subscribe or completion of a refused item is answered
 * exactly as one of an item that does not exist ({@code Unknown tool: ...}, HTTP 200) and never reaches
 * the target; so is a request the policy itself refuses with
 * {@link dev.agentgateway.core.GatewayException#hidden(String)}. Without an authorizer everything is visible.
 *
 * <p><b>Tool views.</b> {@link Builder#toolViews(ToolViews)} shows tools differently per principal
 * or group: hidden, renamed, with another description or title, with arguments fixed by the gateway or
 * narrowed to allowed values (see {@link ToolView}). Views apply after the {@link ToolFilter} and after
 * authorization, which keep deciding on the original names: a call under a new name is mapped back and
 * checked with the authorizer as the original tool before it goes upstream, so a view never opens a tool
 * the authorizer refuses. The request-level {@link dev.agentgateway.core.Operation} is recorded before
 * authentication, when the caller (and so its views) is not yet known: for a new name that no target
 * could own and that all views give to the same tool it names that original tool; otherwise the name as
 * called (see {@link ToolViews}). The per-item check on the original name stays authoritative.
 *
 * <p><b>DNS rebinding.</b> A browser page must not drive a local MCP server: a request whose
 * {@code Origin} is not in {@link Builder#allowedOrigins(String...)} (default the loopback origins) or
 * whose {@code Host} is not a loopback name or in {@link Builder#allowedHosts(String...)} is refused with
 * 403 before any policy runs. By default the {@code Host} is checked on requests that arrive on a
 * loopback address, the ones a rebinding page can send.
 *
 * <p><b>Errors.</b> A refusal on the route, such as a policy's 401 through
 * {@link Exchange#errorResponse(dev.agentgateway.core.GatewayException)}, is answered as a JSON-RPC error
 * with the request's id (or {@code null} before a body was read) and the HTTP status kept: code
 * {@code -32000} (implementation-defined server error; {@code -32600} for 413, {@code -32603} for 500,
 * {@code -32001} for 504) and {@code data} {@code {"status": 401, "code": "unauthorized"}}.
 */
public final class McpBackend implements Backend {
    private final Builder config;

    private McpBackend(Builder builder) {
        this.config = builder.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Exchange exchange) {
        throw new IllegalStateException("McpBackend '" + config.name + "' is a configuration; the gateway serves requests through bind()");
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new McpEndpoint(settings(), gateway);
    }

    @Override
    public String name() {
        return config.name;
    }

    /** The targets, in the order added (which is also the order of merged lists). */
    public List<McpTarget> targets() {
        return config.targets;
    }

    /** Everything this backend was built with (not public: it holds the session key). */
    private McpSettings settings() {
        return new McpSettings(config.name, List.copyOf(config.targets), config.prefixMode, config.failureMode,
                config.toolFilter, config.sessionKey == null ? null : config.sessionKey.clone(), config.sessionIdleTimeout,
                config.maxSessions, List.copyOf(config.allowedOrigins), config.allowedHosts, config.maxMessageSize, config.serverName, config.serverVersion,
                config.instructions, config.eventBufferSize, config.sseRetry, config.toolViews, config.inputRequestTimeout);
    }

    /** Builds an {@link McpBackend}; setters check their argument at once, {@link #build()} the whole. */
    public static final class Builder {
        private String name = "mcp";
        private final List<McpTarget> targets = new ArrayList<>();
        private PrefixMode prefixMode = PrefixMode.CONDITIONAL;
        private FailureMode failureMode = FailureMode.FAIL_CLOSED;
        private ToolFilter toolFilter = ToolFilter.ALL;
        private ToolViews toolViews = ToolViews.NONE;
        private byte[] sessionKey;
        private Duration sessionIdleTimeout = Duration.ofMinutes(30);
        private int maxSessions = 10_000;
        private final List<String> allowedOrigins = new ArrayList<>(List.of(
                "http://localhost", "https://localhost", "http://127.0.0.1", "https://127.0.0.1", "http://[::1]", "https://[::1]"));
        private AllowedHosts allowedHosts = AllowedHosts.LOOPBACK;
        private long maxMessageSize = 4L * 1024 * 1024;
        private String serverName = "agentgateway";
        private String serverVersion = "0.1.0";
        private String instructions;
        private int eventBufferSize = 256;
        private Duration sseRetry;
        private Duration inputRequestTimeout = Duration.ofMinutes(5);

        private Builder() {
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.name = name;
            copy.targets.addAll(targets);
            copy.prefixMode = prefixMode;
            copy.failureMode = failureMode;
            copy.toolFilter = toolFilter;
            copy.toolViews = toolViews;
            copy.sessionKey = sessionKey == null ? null : sessionKey.clone();
            copy.sessionIdleTimeout = sessionIdleTimeout;
            copy.maxSessions = maxSessions;
            copy.allowedOrigins.clear();
            copy.allowedOrigins.addAll(allowedOrigins);
            copy.allowedHosts = allowedHosts;
            copy.maxMessageSize = maxMessageSize;
            copy.serverName = serverName;
            copy.serverVersion = serverVersion;
            copy.instructions = instructions;
            copy.eventBufferSize = eventBufferSize;
            copy.sseRetry = sseRetry;
            copy.inputRequestTimeout = inputRequestTimeout;
            return copy;
        }

        /** Names the backend in logs and meters (default {@code "mcp"}). */
        public Builder name(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Adds a target; merged lists keep the order targets were added in. */
        public Builder target(McpTarget target) {
            requireNonNull(target, "target");
            for (McpTarget existing : targets) {
                if (existing.name().equals(target.name())) {
                    throw new IllegalArgumentException("two targets are named '" + target.name() + "'; target names must be unique");
                }
            }
            targets.add(target);
            return this;
        }

        /** How names are prefixed with target names (default {@link PrefixMode#CONDITIONAL}). */
        public Builder prefixMode(PrefixMode mode) {
            this.prefixMode = requireNonNull(mode, "prefixMode");
            return this;
        }

        /** What fan-out requests do when some targets fail (default {@link FailureMode#FAIL_CLOSED}). */
        public Builder failureMode(FailureMode mode) {
            this.failureMode = requireNonNull(mode, "failureMode");
            return this;
        }

        /** Which tools the route exposes (default all). */
        public Builder toolFilter(ToolFilter filter) {
            this.toolFilter = requireNonNull(filter, "toolFilter");
            return this;
        }

        /** How tools look to each caller: hidden, renamed, re-described, with fixed or narrowed arguments (default none). */
        public Builder toolViews(ToolViews views) {
            this.toolViews = requireNonNull(views, "toolViews");
            return this;
        }

        /**
         * The AES key (16, 24 or 32 bytes) that encrypts session ids and list cursors. Give every gateway
         * replica the same key so that any of them can resume a session. Default: a random key per gateway.
         */
        public Builder sessionKey(byte[] key) {
            requireNonNull(key, "sessionKey");
            if (key.length != 16 && key.length != 24 && key.length != 32) {
                throw new IllegalArgumentException("sessionKey must be 16, 24 or 32 bytes: " + key.length);
            }
            this.sessionKey = key.clone();
            return this;
        }

        /** {@link #sessionKey(byte[])} from hexadecimal (32, 48 or 64 digits). */
        public Builder sessionKeyHex(String hex) {
            requireNonNull(hex, "sessionKeyHex");
            byte[] key;
            try {
                key = HexFormat.of().parseHex(hex);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sessionKeyHex is not hexadecimal", e);
            }
            return sessionKey(key);
        }

        /** How long a session may stay unused before it ends (default 30 min). */
        public Builder sessionIdleTimeout(Duration timeout) {
            this.sessionIdleTimeout = Checks.positive(timeout, "sessionIdleTimeout");
            return this;
        }

        /**
         * How long a modern-era client has to answer the input a call asks for (default 5 min): when a
         * legacy target sends a request of the client (sampling, elicitation, roots) during a call, the
         * gateway answers the modern client with an {@code input_required} result and keeps the target's
         * call waiting for the retry that carries the answers. Past this, the call is cancelled at the
         * target and its {@code requestState} no longer accepted.
         */
        public Builder inputRequestTimeout(Duration timeout) {
            this.inputRequestTimeout = Checks.positive(timeout, "inputRequestTimeout");
            return this;
        }

        /**
         * The most client sessions alive in this gateway at once (default 10,000), which bounds their
         * memory and upstream sessions whatever clients do. A new session beyond it ends the session
         * unused the longest (counted in {@code agentgateway.mcp.sessions.evicted}); that client's next
         * request gets 404 and it initialises again.
         */
        public Builder maxSessions(int sessions) {
            if (sessions < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1: " + sessions);
            }
            this.maxSessions = sessions;
            return this;
        }

        /**
         * The {@code Origin} values accepted, as {@code scheme://host} (any port) or {@code scheme://host:port};
         * {@code "*"} accepts any origin. A request with another {@code Origin} gets 403 (DNS-rebinding
         * protection); a request without one is accepted. Default: localhost, 127.0.0.1 and [::1].
         * The {@code Host} is checked as well: see {@link #allowedHosts(String...)}.
         */
        public Builder allowedOrigins(String... origins) {
            List<String> checked = new ArrayList<>();
            for (String origin : origins) {
                requireNonNull(origin, "origin");
                if (!origin.equals("*") && !origin.matches("https?://[^/]+")) {
                    throw new IllegalArgumentException("allowedOrigins: not an origin (scheme://host[:port]) or '*': " + origin);
                }
                checked.add(origin);
            }
            allowedOrigins.clear();
            allowedOrigins.addAll(checked);
            return this;
        }

        /**
         * The {@code Host} names the endpoint answers besides the loopback ones, as {@code host} (any
         * port), {@code host:port} or {@code [v6]:port}; {@code "*"} accepts any {@code Host}. This is the
         * other half of the DNS-rebinding defence: a browser page whose name was made to resolve to
         * {@code 127.0.0.1} sends no {@code Origin} on a same-origin {@code GET}, but its {@code Host}
         * still names the attacker's domain. A request with another {@code Host} gets 403, answered as
         * the {@code Origin} check answers.
         *
         * <p>{@code localhost}, {@code 127.0.0.1} and {@code [::1]} (any port) are always accepted. By
         * default, with no list, only requests that reach the gateway on a loopback address are checked
         * (those are the ones DNS rebinding can forge), so a gateway bound to {@code 0.0.0.0} and called
         * by its public name keeps working. Once a list is given, every request is checked against it.
         * Behind a reverse proxy on the same machine that forwards its own {@code Host}, list the public
         * names. The {@code Host} header is checked as the client sent it, never a forwarded host:
         * forwarding headers are ordinary headers a rebinding page may set.
         *
         * <pre>{@code
         * McpBackend.builder().target(target)
         *         .allowedOrigins("https://mcp.example.com")
         *         .allowedHosts("mcp.example.com")        // also localhost, 127.0.0.1, [::1]
         *         .build();
         * }</pre>
         */
        public Builder allowedHosts(String... hosts) {
            this.allowedHosts = AllowedHosts.of(hosts);
            return this;
        }

        /** The largest JSON-RPC message accepted, in bytes (default 4 MiB); larger client messages get 413. */
        public Builder maxMessageSize(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxMessageSize must be at least 1024 bytes: " + bytes);
            }
            this.maxMessageSize = bytes;
            return this;
        }

        /** The {@code serverInfo} answered to clients (default {@code agentgateway 0.1.0}). */
        public Builder serverInfo(String name, String version) {
            requireNonNull(name, "serverInfo name");
            requireNonNull(version, "serverInfo version");
            this.serverName = name;
            this.serverVersion = version;
            return this;
        }

        /** Text put before the targets' own instructions in the {@code initialize} result. */
        public Builder instructions(String text) {
            this.instructions = requireNonNull(text, "instructions");
            return this;
        }

        /** Events kept per event stream for clients that resume with {@code Last-Event-ID} (default 256). */
        public Builder eventBufferSize(int events) {
            if (events < 1) {
                throw new IllegalArgumentException("eventBufferSize must be at least 1: " + events);
            }
            this.eventBufferSize = events;
            return this;
        }

        /** The reconnection delay advertised on event streams with the SSE {@code retry} field (default none). */
        public Builder sseRetry(Duration retry) {
            requireNonNull(retry, "sseRetry");
            if (retry.isNegative()) {
                throw new IllegalArgumentException("sseRetry must not be negative: " + retry);
            }
            this.sseRetry = retry;
            return this;
        }

        /** Checks the configuration as a whole and returns the backend. */
        public McpBackend build() {
            if (targets.isEmpty()) {
                throw new IllegalStateException("McpBackend '" + name + "' has no targets; add at least one with target(...)");
            }
            return new McpBackend(this);
        }
    }
}
