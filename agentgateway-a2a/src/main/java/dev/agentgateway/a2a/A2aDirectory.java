package dev.agentgateway.a2a;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.agentgateway.a2a.internal.AgentDirectory;
import dev.agentgateway.core.Backend;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.PathMatch;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;

/**
 * A discovery endpoint listing the cards of the agents behind the gateway, each rewritten exactly as the
 * agent's own route serves it, so that agents can find each other's skills and modalities in one call.
 * Mount it on a route of its own and give it the agents' routes:
 *
 * <pre>{@code
 * Route planner = Route.builder("planner").pathPrefix("/agents/planner").backend(A2aBackend.of("http://127.0.0.1:9100")).build();
 * Route echo = Route.builder("echo").pathPrefix("/agents/echo").backend(A2aBackend.of("http://127.0.0.1:9200")).build();
 * Gateway.builder()
 *     .route(planner).route(echo)
 *     .route(Route.builder("agents").path("/.well-known/agents").method("GET").backend(A2aDirectory.of(planner, echo)))
 *     .start();
 * }</pre>
 *
 * <p>{@code GET} answers {@code {"agents":[{"name":"planner","url":"https://gw/agents/planner","card":{...}}, ...]}}
 * in the order given. Cards are fetched from the agents in parallel on each request, with the caller's
 * {@code A2A-Version} (so v1.0 callers get v1.0 cards; the answer {@code Vary}s on it); an agent that cannot
 * be reached is listed with an {@code "error"} instead of a {@code "card"}, so one failing agent never hides
 * the others. When an authorization policy on the directory's route stores a core
 * {@link dev.agentgateway.core.Authorizer}, each agent is listed only if the caller may perform
 * {@code get_agent_card} on it ({@code Operation("a2a", "get_agent_card", "Agent", name, ...)}).
 */
public final class A2aDirectory implements Backend {
    private final List<Agent> agents;
    private final Duration timeout;

    /**
     * An agent the directory lists.
     *
     * @param name the name it is listed under
     * @param prefix the route prefix it is served under, such as {@code /agents/planner}
     * @param backend its backend
     * @param rewrite the route's path rewrite, or {@code null}
     */
    public record Agent(String name, String prefix, A2aBackend backend, PathRewrite rewrite) {
        public Agent {
            requireNonNull(name, "name");
            requireNonNull(prefix, "prefix");
            requireNonNull(backend, "backend");
            if (!prefix.startsWith("/")) {
                throw new IllegalArgumentException("agent '" + name + "': prefix must start with '/': " + prefix);
            }
            if (prefix.length() > 1 && prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (prefix.equals("/")) {
                prefix = "";
            }
        }
    }

    private A2aDirectory(Builder builder) {
        this.agents = List.copyOf(builder.agents);
        this.timeout = builder.timeout;
    }

    /** A directory of the agents served by these routes (each a path-prefix route with an {@link A2aBackend}). */
    public static A2aDirectory of(Route... agentRoutes) {
        Builder builder = builder();
        for (Route route : agentRoutes) {
            builder.agent(route);
        }
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The agents listed, in order. */
    public List<Agent> agents() {
        return agents;
    }

    /** Longest wait for one agent's card. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Response handle(Exchange exchange) {
        throw new IllegalStateException("A2aDirectory is a configuration; the gateway serves requests through bind()");
    }

    @Override
    public Backend bind(GatewayContext gateway) {
        return new AgentDirectory(this, gateway);
    }

    @Override
    public String name() {
        return "a2a-directory";
    }

    /** Builds an {@link A2aDirectory}; every setter checks its argument at once. */
    public static final class Builder {
        private final List<Agent> agents = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Lists the agent a route serves: the route must match a path prefix and have an {@link A2aBackend}. */
        public Builder agent(Route route) {
            requireNonNull(route, "route");
            if (!(route.backend() instanceof A2aBackend backend)) {
                throw new IllegalArgumentException("route '" + route.name() + "' does not serve an A2aBackend");
            }
            if (!(route.pathMatch() instanceof PathMatch.Prefix prefix)) {
                throw new IllegalArgumentException("route '" + route.name() + "' must match a path prefix to be listed");
            }
            String name = backend.agentName() != null ? backend.agentName() : route.name();
            return agent(new Agent(name, prefix.prefix(), backend, route.pathRewrite()));
        }

        /** Lists an agent served under {@code prefix} by {@code backend} (a route without path rewrite). */
        public Builder agent(String name, String prefix, A2aBackend backend) {
            return agent(new Agent(name, prefix, backend, null));
        }

        public Builder agent(Agent agent) {
            requireNonNull(agent, "agent");
            if (!names.add(agent.name())) {
                throw new IllegalArgumentException("the directory already lists an agent named '" + agent.name() + "'");
            }
            agents.add(agent);
            return this;
        }

        /** Longest wait for one agent's card (default 10 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        public A2aDirectory build() {
            if (agents.isEmpty()) {
                throw new IllegalStateException("A2aDirectory lists no agent");
            }
            return new A2aDirectory(this);
        }
    }
}
