package dev.agentgateway.a2a;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import dev.agentgateway.a2a.internal.AgentProxy;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.UpstreamTls;

/**
 * One A2A agent behind the gateway, mounted on a route prefix. Callers see the agent as if the gateway
 * served it: its card is rewritten so that every interface URL points back through the gateway, and
 * JSON-RPC, REST and server-sent-event traffic is relayed to the agent unbuffered, for A2A v0.3 and
 * v1.0 alike (no translation between them).
 *
 * <pre>{@code
 * Gateway.builder()
 *     .route(Route.builder("planner").pathPrefix("/agents/planner")
 *             .backend(A2aBackend.of("http://127.0.0.1:9100")))
 *     .start();
 * // GET  /agents/planner/.well-known/agent-card.json  -> the agent's card, URLs rewritten to /agents/planner/...
 * // POST /agents/planner                              -> JSON-RPC, to the agent's JSON-RPC interface
 * // POST /agents/planner/rpc, /agents/planner/rest/message:send, ... -> the same paths below the agent's URL
 * }</pre>
 *
 * <h2>Paths</h2>
 * The route's prefix stands for the agent's URL: {@code /agents/planner/x} goes to {@code {url}/x}. When
 * the route rewrites the path with {@link dev.agentgateway.core.PathRewrite#replacePrefix}, the rewritten
 * path is used instead, and card URLs are mapped back through the same rewrite. A JSON-RPC call posted to
 * the prefix itself goes to the agent's JSON-RPC interface for the version spoken, as its card lists it
 * (or {@link Builder#jsonRpcPath}).
 *
 * <h2>Timeouts (defaults)</h2>
 * Blocking {@code SendMessage} and the start of a stream may take {@link Builder#sendTimeout} (10 minutes)
 * until the agent answers; other calls {@link Builder#requestTimeout} (60 s). Once a stream has started,
 * no timeout of this backend ends it, however long the task runs. Connecting: 5 s.
 *
 * <h2>TLS</h2>
 * An {@code https} agent is verified against the JVM's trusted CAs unless {@link Builder#tls} says
 * otherwise; the same settings serve every call to the agent, card fetches included:
 *
 * <pre>{@code
 * A2aBackend.builder().url("https://planner.internal:8443")
 *     .tls(UpstreamTls.builder()
 *         .caBundle(Path.of("/etc/tls/internal-ca.pem"))
 *         .clientCertificate(Path.of("/etc/tls/gateway.crt"), Path.of("/etc/tls/gateway.key"))  // mTLS
 *         .build())
 *     .build();
 * }</pre>
 * An agent whose certificate cannot be verified is unreachable: a JSON-RPC {@code -32603} error with HTTP 502.
 *
 * <h2>Errors</h2>
 * Malformed JSON-RPC gets {@code -32700} (bad envelope {@code -32600}) with HTTP 200 and never reaches the
 * agent. An unreachable agent gets a JSON-RPC {@code -32603} error with HTTP 502 (504 on a timeout) on
 * the JSON-RPC binding, and a {@code google.rpc.Status}-shaped 502/504 on the REST binding; a card that
 * cannot be fetched or is not a JSON object gets 502. Bodies over the route's limit get 413.
 * Refusals by policies ({@link dev.agentgateway.core.Exchange#errorResponse}: a 401, a 429) keep their
 * status and answer in the binding's shape: a JSON-RPC error with the request's id, code {@code -32000}
 * ({@code -32603} for 5xx) and {@code data} {@code {"status":401,"code":"unauthorized"}}; on REST
 * {@code {"error":{"code":401,"status":"UNAUTHENTICATED","message":...}}}.
 *
 * <h2>Per-caller access</h2>
 * When an authorization policy stores an {@link dev.agentgateway.core.Authorizer} on the exchange, the
 * served cards (public and extended, every version) list only the skills the caller may use: each skill
 * is asked about as {@code ("a2a", "send_message", "Agent", agent, {method: "agent_card", skill})}, the
 * operation of a send naming it. Without an authorizer cards are served as before.
 * <p>A task created through the gateway (its id read from the answer to a send or stream) by an
 * authenticated caller belongs to that caller ({@code scheme:subject}). Calls naming it from anyone else
 * ({@code GetTask}, {@code CancelTask}, {@code SubscribeToTask}, push-notification configs, a send
 * continuing it; JSON-RPC and REST) are answered as the agent answers an unknown task (JSON-RPC
 * {@code -32001} "Task not found", REST 404 {@code NOT_FOUND}) without reaching the agent, unless the
 * authorizer allows {@code ("a2a", action, "Task", taskId, {agent, owner: subject, method})}. Tasks created
 * anonymously have no owner. Owners are remembered within {@link Builder#taskOwnership} bounds; a
 * forgotten task is unowned (fail open), so keep the idle time longer than tasks live. {@code ListTasks}
 * answers leave out the tasks hidden so (they are read whole, up to 16 MiB).
 *
 * <h2>Observation</h2>
 * Before policies run the request's {@link A2aCall} and a core {@link dev.agentgateway.core.Operation}
 * are recorded; the answer's {@link A2aResult} once it is sent. Meters (tags {@code gateway}, {@code agent}):
 * {@code a2a.requests} and {@code a2a.request.duration} (also {@code binding, version, method, outcome,
 * error_code}), {@code a2a.active.streams}, {@code a2a.stream.events} ({@code event_kind}),
 * {@code a2a.stream.first.event}, {@code a2a.task.states} ({@code state}), {@code a2a.push.deliveries}.
 */
public final class A2aBackend implements Backend {
    /**
     * The fetch of an agent's public card ({@code /.well-known/agent-card.json} or the legacy
     * {@code /.well-known/agent.json}, every version), recognised by the {@link Operation} this backend
     * records ({@code a2a}, {@code get_agent_card}), for
     * {@code Authentication.builder()...anonymousFor(A2aBackend.PUBLIC_CARD)}: the A2A public card is the
     * discovery document that tells a client how to authenticate ({@code securitySchemes}), so it is
     * usually served without a credential while every other call, the authenticated extended card
     * included, still needs one. Opt-in: a route protected by {@code Authentication} protects its card
     * unless told otherwise.
     */
    public static final Predicate<Operation> PUBLIC_CARD =
            operation -> operation.protocol().equals("a2a") && operation.action().equals("get_agent_card");

    private final String agentName;
    private final URI url;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration sendTimeout;
    private final Duration cardCacheTtl;
    private final String jsonRpcPath;
    private final boolean addMissingVersionHeader;
    private final long maxCardSize;
    private final int maxConnections;
    private final PushNotifications pushNotifications;
    private final CardSecurity cardSecurity;
    private final List<Policy> policies;
    private final int maxOwnedTasks;
    private final Duration taskIdleTime;
    private final UpstreamTls tls;

    private A2aBackend(Builder builder) {
        this.tls = builder.tls;
        this.maxOwnedTasks = builder.maxOwnedTasks;
        this.taskIdleTime = builder.taskIdleTime;
        this.agentName = builder.agentName;
        this.url = builder.url;
        this.connectTimeout = builder.connectTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.sendTimeout = builder.sendTimeout;
        this.cardCacheTtl = builder.cardCacheTtl;
        this.jsonRpcPath = builder.jsonRpcPath;
        this.addMissingVersionHeader = builder.addMissingVersionHeader;
        this.maxCardSize = builder.maxCardSize;
        this.maxConnections = builder.maxConnections;
        this.pushNotifications = builder.pushNotifications;
        this.cardSecurity = builder.cardSecurity;
        this.policies = List.copyOf(builder.policies);
    }

    /** An agent at {@code url} (its base: the card is at {@code {url}/.well-known/agent-card.json}), with the defaults. */
    public static A2aBackend of(String url) {
        return builder().url(url).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Exchange exchange) {
        throw new IllegalStateException("A2aBackend for " + url + " is a configuration; the gateway serves requests through bind()");
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new AgentProxy(this, gateway);
    }

    @Override
    public String name() {
        return agentName == null ? "a2a" : agentName;
    }

    @Override
    public List<Policy> policies() {
        return policies;
    }

    /** The agent's name for metrics and policies, or {@code null} to use the route's name. */
    public String agentName() {
        return agentName;
    }

    /** The agent's base URL. */
    public URI url() {
        return url;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Longest wait for the answer to calls other than sends and streams. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** Longest wait for the answer to a blocking send, or for the start of a stream. */
    public Duration sendTimeout() {
        return sendTimeout;
    }

    /** How long what the gateway learnt from the agent's card (JSON-RPC paths, skills) is kept. */
    public Duration cardCacheTtl() {
        return cardCacheTtl;
    }

    /** The agent's JSON-RPC path for calls posted to the prefix itself, or {@code null} to take it from the card. */
    public String jsonRpcPath() {
        return jsonRpcPath;
    }

    /** Whether {@code A2A-Version: 1.0} is added to v1.0 JSON-RPC calls that come without a version. */
    public boolean addMissingVersionHeader() {
        return addMissingVersionHeader;
    }

    /** The largest agent card accepted from the agent, in bytes. */
    public long maxCardSize() {
        return maxCardSize;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public PushNotifications pushNotifications() {
        return pushNotifications;
    }

    /** The security the served cards state instead of the agent's own, or {@code null} to keep the agent's. */
    public CardSecurity cardSecurity() {
        return cardSecurity;
    }

    /** How many task owners are remembered at most (see <em>Per-caller access</em>). */
    public int maxOwnedTasks() {
        return maxOwnedTasks;
    }

    /** How long a task owner is remembered after the task was last used. */
    public Duration taskIdleTime() {
        return taskIdleTime;
    }

    /** Trust, client certificate and server name towards an {@code https} agent, or {@code null} for the JVM's trust. */
    public UpstreamTls tls() {
        return tls;
    }

    @Override
    public String toString() {
        return "A2aBackend[" + (agentName == null ? "" : agentName + ", ") + url + "]";
    }

    /** Builds an {@link A2aBackend}; every setter checks its argument at once. */
    public static final class Builder {
        private String agentName;
        private URI url;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private Duration sendTimeout = Duration.ofMinutes(10);
        private Duration cardCacheTtl = Duration.ofMinutes(5);
        private String jsonRpcPath;
        private boolean addMissingVersionHeader;
        private long maxCardSize = 1024 * 1024;
        private int maxConnections = 1024;
        private PushNotifications pushNotifications = PushNotifications.validate();
        private CardSecurity cardSecurity;
        private final List<Policy> policies = new ArrayList<>();
        private int maxOwnedTasks = 100_000;
        private Duration taskIdleTime = Duration.ofHours(24);
        private UpstreamTls tls;

        private Builder() {
        }

        /**
         * How the gateway verifies an {@code https} agent and authenticates to it with a certificate
         * (default: the JVM's trusted CAs, no client certificate); see {@link UpstreamTls}.
         */
        public Builder tls(UpstreamTls tls) {
            this.tls = requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Bounds the memory of task owners: at most {@code maxTasks} (default 100,000, least recently used
         * forgotten first), each forgotten after {@code idleTime} without use (default 24 h). A forgotten
         * task is unowned, hence reachable by anyone who knows its id.
         *
         * <pre>{@code
         * A2aBackend.builder().url("http://127.0.0.1:9100").taskOwnership(10_000, Duration.ofHours(2)).build();
         * }</pre>
         */
        public Builder taskOwnership(int maxTasks, Duration idleTime) {
            if (maxTasks < 1) {
                throw new IllegalArgumentException("maxTasks must be at least 1: " + maxTasks);
            }
            this.taskIdleTime = Checks.positive(idleTime, "taskIdleTime");
            this.maxOwnedTasks = maxTasks;
            return this;
        }

        /** The agent's base URL, such as {@code http://127.0.0.1:9100} or {@code https://agents.internal/planner}. */
        public Builder url(String url) {
            requireNonNull(url, "url");
            URI uri;
            try {
                uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("A2A agent url is not a URL: " + url, e);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("A2A agent url must be http or https: " + url);
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("A2A agent url has no host: " + url);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("A2A agent url must not have a query or fragment: " + url);
            }
            this.url = uri;
            return this;
        }

        /** Names the agent in metrics, logs and policies (default: the route's name). */
        public Builder agentName(String name) {
            requireNonNull(name, "agentName");
            if (name.isBlank()) {
                throw new IllegalArgumentException("agentName must not be blank");
            }
            this.agentName = name;
            return this;
        }

        /** Longest wait for a connection to the agent (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Checks.positive(timeout, "connectTimeout");
            return this;
        }

        /** Longest wait for the answer to calls other than sends and streams (default 60 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Checks.positive(timeout, "requestTimeout");
            return this;
        }

        /** Longest wait for the answer to a blocking send, or for a stream's first event (default 10 minutes). */
        public Builder sendTimeout(Duration timeout) {
            this.sendTimeout = Checks.positive(timeout, "sendTimeout");
            return this;
        }

        /** How long facts read from the agent's card (JSON-RPC paths, skills) are kept (default 5 minutes). */
        public Builder cardCacheTtl(Duration ttl) {
            this.cardCacheTtl = Checks.positive(ttl, "cardCacheTtl");
            return this;
        }

        /** The agent's JSON-RPC path (below its URL) for calls posted to the route prefix itself; default: from its card. */
        public Builder jsonRpcPath(String path) {
            requireNonNull(path, "jsonRpcPath");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("jsonRpcPath must start with '/': " + path);
            }
            this.jsonRpcPath = path;
            return this;
        }

        /**
         * Adds {@code A2A-Version: 1.0} to JSON-RPC calls that use a v1.0 method name but carry no version
         * (a missing version means 0.3, which strict v1.0 agents refuse; the A2A TCK sends none). Default off.
         */
        public Builder addMissingVersionHeader(boolean add) {
            this.addMissingVersionHeader = add;
            return this;
        }

        /** The largest agent card accepted from the agent (default 1 MiB). */
        public Builder maxCardSize(long bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxCardSize must be at least 1024 bytes: " + bytes);
            }
            this.maxCardSize = bytes;
            return this;
        }

        /** Connections to the agent (default 1024, so that many long streams do not starve other calls). */
        public Builder maxConnections(int connections) {
            if (connections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** What happens to push-notification webhook URLs (default {@link PushNotifications#validate()}). */
        /**
         * States in the agent cards served through the gateway what the gateway requires (replacing the
         * agent's own {@code securitySchemes} and requirements); without it the agent's are kept, which
         * is right only when authentication is end to end.
         */
        public Builder cardSecurity(CardSecurity security) {
            this.cardSecurity = requireNonNull(security, "cardSecurity");
            return this;
        }

        public Builder pushNotifications(PushNotifications push) {
            this.pushNotifications = requireNonNull(push, "pushNotifications");
            return this;
        }

        /** Adds a backend-level policy. */
        public Builder policy(Policy policy) {
            policies.add(requireNonNull(policy, "policy"));
            return this;
        }

        public A2aBackend build() {
            if (url == null) {
                throw new IllegalStateException("A2aBackend" + (agentName == null ? "" : " '" + agentName + "'") + " has no url");
            }
            return new A2aBackend(this);
        }

    }
}
