package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.DirectResponse;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent directory lists every agent's rewritten card in one call. */
class DirectoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FakeHandler card(String name, String skill) {
        return (request, response) -> {
            String self = "http://" + request.header("Host");
            String version = request.header("A2A-Version") == null ? "none" : request.header("A2A-Version");
            String body = "{\"name\":\"" + name + "\",\"description\":\"asked with " + version + "\",\"version\":\"1\","
                    + "\"supportedInterfaces\":[{\"url\":\"" + self + "/rpc\",\"protocolBinding\":\"JSONRPC\",\"protocolVersion\":\"1.0\"}],"
                    + "\"capabilities\":{},\"defaultInputModes\":[\"text/plain\"],\"defaultOutputModes\":[\"text/plain\"],"
                    + "\"skills\":[{\"id\":\"" + skill + "\",\"name\":\"" + skill + "\",\"description\":\"\",\"tags\":[]}]}";
            response.status(200).header("Content-Type", "application/json").write(body);
        };
    }

    @RegisterExtension
    static final FakeUpstream plannerAgent = FakeUpstream.builder().handler("/.well-known/agent-card.json", card("Planner", "plan")).build();

    @RegisterExtension
    static final FakeUpstream echoAgent = FakeUpstream.builder().handler("/.well-known/agent-card.json", card("Echo", "echo")).build();

    /** An authorization policy's authorizer that lets the caller see the echo agent only. */
    private static final Policy ONLY_ECHO = (exchange, next) -> {
        exchange.attribute(Authorizer.KEY, (ex, operation) -> operation.resourceId().equals("echo")
                && operation.action().equals("get_agent_card"));
        return next.proceed(exchange);
    };

    static Route planner;
    static Route echo;

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> {
        planner = Route.builder("planner").pathPrefix("/agents/planner").backend(A2aBackend.of(plannerAgent.url())).build();
        echo = Route.builder("echo").pathPrefix("/agents/echo").backend(A2aBackend.of(echoAgent.url())).build();
        Route down = Route.builder("down").pathPrefix("/agents/down").backend(A2aBackend.of("http://127.0.0.1:1")).build();
        g.route(planner).route(echo).route(down)
                .route(Route.builder("agents").path("/.well-known/agents").backend(A2aDirectory.of(planner, echo, down)))
                .route(Route.builder("filtered").path("/.well-known/visible-agents").policy(ONLY_ECHO)
                        .backend(A2aDirectory.of(planner, echo, down)));
    });

    private JsonNode directory(String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/.well-known/agents"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Vary")).hasValue("A2A-Version");
        return JSON.readTree(response.body()).get("agents");
    }

    @Test
    void listsEveryAgentsCardWithUrlsThroughTheGateway() throws Exception {
        JsonNode agents = directory();
        assertThat(agents).extracting(a -> a.get("name").asText()).containsExactly("planner", "echo", "down");
        String base = gateway.uri("/agents/planner").toString();
        assertThat(agents.get(0).get("url").asText()).isEqualTo(base);
        assertThat(agents.get(0).get("cardUrl").asText()).isEqualTo(base + "/.well-known/agent-card.json");
        assertThat(agents.get(0).at("/card/supportedInterfaces/0/url").asText()).isEqualTo(base + "/rpc");
        assertThat(agents.get(0).at("/card/skills/0/id").asText()).isEqualTo("plan");
        assertThat(agents.get(1).at("/card/supportedInterfaces/0/url").asText()).isEqualTo(gateway.uri("/agents/echo").toString() + "/rpc");
        assertThat(agents.get(1).at("/card/skills/0/id").asText()).isEqualTo("echo");
    }

    @Test
    void anUnreachableAgentIsListedWithItsErrorWithoutHidingTheOthers() throws Exception {
        JsonNode down = directory().get(2);
        assertThat(down.has("card")).isFalse();
        assertThat(down.get("error").asText()).contains("Agent 'down'");
    }

    @Test
    void theCallersVersionIsForwardedToEveryAgent() throws Exception {
        assertThat(directory("A2A-Version", "1.0").at("/0/card/description").asText()).isEqualTo("asked with 1.0");
        assertThat(directory().at("/0/card/description").asText()).isEqualTo("asked with none");
    }

    @Test
    void anAuthorizerOnTheRouteHidesAgentsTheCallerMayNotSee() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/.well-known/visible-agents")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(response.body()).get("agents")).extracting(a -> a.get("name").asText()).containsExactly("echo");
    }

    @Test
    void onlyA2aRoutesOnAPrefixCanBeListed() {
        Route web = Route.builder("web").pathPrefix("/web").backend(DirectResponse.of(200, "hi")).build();
        assertThatThrownBy(() -> A2aDirectory.of(web)).hasMessageContaining("route 'web' does not serve an A2aBackend");
        Route exact = Route.builder("x").path("/x").backend(A2aBackend.of("http://127.0.0.1:9")).build();
        assertThatThrownBy(() -> A2aDirectory.of(exact)).hasMessageContaining("must match a path prefix");
    }
}
