package dev.agentgateway.a2a.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.agentgateway.a2a.A2aDirectory;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Body;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Backend;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/** The running {@link A2aDirectory} of one gateway: fetches and rewrites every listed agent's card, in parallel. */
public final class AgentDirectory implements Backend {
    private final A2aDirectory config;
    private final GatewayContext gateway;
    /** The client fetching each agent's card: the gateway's, or one with the agent's own TLS. */
    private final Map<A2aDirectory.Agent, HttpClient> clients = new IdentityHashMap<>();

    public AgentDirectory(A2aDirectory config, GatewayContext gateway) {
        this.config = config;
        this.gateway = gateway;
        for (A2aDirectory.Agent agent : config.agents()) {
            clients.put(agent, AgentCards.client(gateway, agent.backend()));
        }
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Response handle(Exchange exchange) throws Exception {
        if (!exchange.method().equals("GET") && !exchange.method().equals("HEAD")) {
            return Response.json(405, "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"The agent directory answers GET\",\"status\":405}}")
                    .header("Allow", "GET, HEAD");
        }
        String version = AgentProxy.requestedVersion(exchange);
        String origin = exchange.scheme() + "://" + exchange.authority();
        List<CompletableFuture<ObjectNode>> entries = new ArrayList<>();
        Authorizer authorizer = exchange.attribute(Authorizer.KEY);
        for (A2aDirectory.Agent agent : config.agents()) {
            // With an authorization policy on the route, a caller sees only the agents whose card it may read.
            if (authorizer != null && !authorizer.allows(exchange, new Operation("a2a", A2aMethod.GET_CARD.action(), "Agent",
                    agent.name(), Map.of("method", A2aMethod.GET_CARD.v10Name(), "binding", "directory")))) {
                continue;
            }
            entries.add(CompletableFuture.supplyAsync(() -> entry(agent, origin, version), gateway.executor()));
        }
        ObjectNode answer = AgentCards.JSON.createObjectNode();
        ArrayNode agents = answer.putArray("agents");
        for (CompletableFuture<ObjectNode> entry : entries) {
            try {
                agents.add(entry.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("listing an agent failed", e.getCause());
            }
        }
        HttpFields.Mutable headers = HttpFields.build();
        headers.put(HttpHeader.CONTENT_TYPE, "application/json");
        headers.put(HttpHeader.VARY, AgentProxy.VERSION_HEADER);
        headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
        return Response.of(200, headers, Body.of(AgentCards.JSON.writeValueAsBytes(answer)));
    }

    private ObjectNode entry(A2aDirectory.Agent agent, String origin, String version) {
        ObjectNode entry = AgentCards.JSON.createObjectNode();
        String publicBase = origin + agent.prefix();
        entry.put("name", agent.name());
        entry.put("url", publicBase);
        entry.put("cardUrl", publicBase + AgentCards.CARD);
        try {
            ObjectNode card = AgentCards.fetch(clients.get(agent), agent.backend().url(), version.isEmpty() ? null : version,
                    config.timeout(), agent.backend().maxCardSize(), agent.name());
            String base = agent.backend().url().getRawPath() == null ? "" : CardRewriter.stripSlash(agent.backend().url().getRawPath());
            String anchor = agent.rewrite() instanceof PathRewrite.ReplacePrefix replace ? base + replace.replacement() : base;
            entry.set("card", new CardRewriter(publicBase, anchor, agent.backend().cardSecurity()).rewrite(card));
        } catch (GatewayException e) {
            entry.put("error", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entry.put("error", "interrupted");
        }
        return entry;
    }
}
