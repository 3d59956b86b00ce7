package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-caller skills on the card and task ownership, driven by the exchange's Authorizer. */
class PerCallerAccessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CARD = "{\"name\":\"Shouter\",\"url\":\"http://agent.invalid/rpc\",\"version\":\"1\","
            + "\"protocolVersion\":\"0.3.0\",\"capabilities\":{},\"defaultInputModes\":[\"text\"],\"defaultOutputModes\":[\"text\"],"
            + "\"skills\":[{\"id\":\"echo\",\"name\":\"Echo\"},{\"id\":\"shout\",\"name\":\"Shout\"}]}";
    private static final String TASK = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"kind\":\"task\",\"id\":\"task-1\","
            + "\"contextId\":\"ctx-1\",\"status\":{\"state\":\"completed\"}}}";

    @RegisterExtension
    static final FakeUpstream agent = FakeUpstream.builder()
            .handler("/.well-known", Fakes.json(200, CARD))
            .handler("/rpc", Fakes.json(200, TASK))
            .handler("/tasks", Fakes.json(200, "{\"tasks\":[{\"id\":\"task-1\"},{\"id\":\"task-x\"}]}"))
            .handler("/ext", Fakes.json(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + CARD + "}"))
            .handler("/stream", Fakes.sse(java.time.Duration.ofMillis(10),
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"kind\":\"task\",\"id\":\"task-s\",\"contextId\":\"c\",\"status\":{\"state\":\"working\"}}}"))
            .handler("/anon-rpc", Fakes.json(200, TASK.replace("task-1", "task-anon")))
            .handler("/v1/tasks", Fakes.json(200, "{\"id\":\"task-1\",\"contextId\":\"ctx-1\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}"))
            .build();

    /** Operations the authorizer was asked about. */
    private static final List<Operation> asked = java.util.Collections.synchronizedList(new ArrayList<>());

    /** bob may not use "shout"; only admin may read others' tasks. */
    private static final Authorizer AUTHORIZER = (exchange, operation) -> {
        asked.add(operation);
        Principal principal = exchange.principal();
        String who = principal == null ? "" : principal.subject();
        if (operation.resourceType().equals("Task")) {
            return principal != null && principal.roles().contains("admin");
        }
        return !("shout".equals(operation.context().get("skill")) && who.equals("bob"));
    };

    /** Sets the principal from {@code X-User}, stores the authorizer and checks the request's operation. */
    private static final Policy USERS = new Policy() {
        @Override
        public Response apply(Exchange exchange, Chain next) throws Exception {
            String user = exchange.requestHeaders().get("X-User");
            if (user != null) {
                exchange.attribute(Principal.KEY, new Principal(user, "test", user.equals("admin") ? Set.of("admin") : Set.of(), Map.of()));
            }
            exchange.attribute(Authorizer.KEY, AUTHORIZER);
            if (!AUTHORIZER.allows(exchange, exchange.attribute(Operation.KEY))) {
                return exchange.errorResponse(GatewayException.forbidden("Not allowed"));
            }
            return next.proceed(exchange);
        }

        @Override
        public Phase phase() {
            return Phase.AUTHORIZATION;
        }
    };

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("shouter").pathPrefix("/agents/s").policy(USERS)
                    .backend(A2aBackend.builder().url(agent.url()).jsonRpcPath("/rpc").build()))
            .route(Route.builder("anon").pathPrefix("/agents/anon").policy(USERS)
                    .backend(A2aBackend.builder().url(agent.url()).agentName("shouter").jsonRpcPath("/anon-rpc").build()))
            .route(Route.builder("open").pathPrefix("/agents/open")
                    .backend(A2aBackend.builder().url(agent.url()).agentName("shouter").jsonRpcPath("/rpc").build())));

    @BeforeEach
    void forget() {
        agent.reset();
        asked.clear();
    }

    private static HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path)).GET();
        if (user != null) {
            request.header("X-User", user);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> rpc(String user, String method, String params) throws Exception {
        return rpc("/agents/s", user, method, params);
    }

    private static HttpResponse<String> rpc(String route, String user, String method, String params) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(route)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"method\":\"" + method
                        + "\",\"params\":" + params + "}"));
        if (user != null) {
            request.header("X-User", user);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String user, String skill) throws Exception {
        return rpc(user, "message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]"
                + (skill == null ? "" : ",\"metadata\":{\"skillId\":\"" + skill + "\"}") + "}}");
    }

    private static List<String> skills(HttpResponse<String> card) throws Exception {
        List<String> ids = new ArrayList<>();
        JSON.readTree(card.body()).path("skills").forEach(skill -> ids.add(skill.path("id").asText()));
        return ids;
    }

    @Test
    void twoCallersSeeDifferentSkillsOnTheCard() throws Exception {
        assertThat(skills(get("/agents/s/.well-known/agent-card.json", "alice"))).containsExactly("echo", "shout");
        assertThat(skills(get("/agents/s/.well-known/agent-card.json", "bob"))).containsExactly("echo");
        assertThat(asked).contains(new Operation("a2a", "send_message", "Agent", "shouter",
                Map.of("method", "agent_card", "skill", "shout")));
    }

    @Test
    void withoutAnAuthorizerTheCardIsServedAsBefore() throws Exception {
        HttpResponse<String> open = get("/agents/open/.well-known/agent-card.json", null);
        assertThat(skills(open)).containsExactly("echo", "shout");
        assertThat(asked).isEmpty();
        // A caller allowed everything gets the same bytes, apart from the route's own URLs.
        String allowed = get("/agents/s/.well-known/agent-card.json", "alice").body();
        assertThat(allowed.replace("/agents/s", "/agents/open")).isEqualTo(open.body());
    }

    @Test
    void aRefusedSkillGetsAJsonRpcErrorWithTheRequestId() throws Exception {
        HttpResponse<String> response = send("bob", "shout");

        assertThat(response.statusCode()).isEqualTo(403);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).isEqualTo("r-1");
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32000);
        assertThat(body.at("/error/data/code").asText()).isEqualTo("forbidden");
        assertThat(agent.requests()).isEmpty();
    }

    @Test
    void aTaskOfAliceIsNotFoundForBobAndAnonymousButReadableByAlice() throws Exception {
        assertThat(send("alice", "echo").statusCode()).isEqualTo(200);
        agent.reset();

        for (String other : new String[] {"bob", null}) {
            for (String method : new String[] {"tasks/get", "tasks/cancel", "GetTask", "tasks/pushNotificationConfig/list"}) {
                JsonNode body = JSON.readTree(rpc(other, method, "{\"id\":\"task-1\"}").body());
                assertThat(body.path("id").asText()).isEqualTo("r-1");
                assertThat(body.at("/error/code").asInt()).as(method + " by " + other).isEqualTo(-32001);
            }
        }
        HttpResponse<String> rest = get("/agents/s/v1/tasks/task-1", "bob");
        assertThat(rest.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(rest.body()).at("/error/status").asText()).isEqualTo("NOT_FOUND");
        assertThat(agent.requests()).isEmpty();

        JsonNode mine = JSON.readTree(rpc("alice", "tasks/get", "{\"id\":\"task-1\"}").body());
        assertThat(mine.at("/result/id").asText()).isEqualTo("task-1");
        assertThat(get("/agents/s/v1/tasks/task-1", "alice").statusCode()).isEqualTo(200);
        assertThat(agent.requests()).hasSize(2);
    }

    @Test
    void anAuthorizerAllowingTheTaskOperationLetsAnAdminReadIt() throws Exception {
        send("alice", "echo");

        JsonNode body = JSON.readTree(rpc("admin", "tasks/get", "{\"id\":\"task-1\"}").body());

        assertThat(body.at("/result/id").asText()).isEqualTo("task-1");
        assertThat(asked).contains(new Operation("a2a", "get_task", "Task", "task-1",
                Map.of("agent", "shouter", "owner", "alice", "method", "GetTask")));
    }

    @Test
    void anAnonymousTaskHasNoOwnerAndStaysReachable() throws Exception {
        rpc("/agents/anon", null, "message/send", "{\"message\":{\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[]}}");

        JsonNode body = JSON.readTree(rpc("/agents/anon", "bob", "tasks/get", "{\"id\":\"task-anon\"}").body());

        assertThat(body.at("/result/id").asText()).isEqualTo("task-anon");
        assertThat(agent.requests()).hasSize(2);
    }

    @Test
    void unknownGarbageOrMissingTaskIdsAreLeftToTheAgent() throws Exception {
        HttpResponse<String> garbage = rpc("bob", "tasks/get", "{\"id\":\"no such \\\"task\\\" \u00e9\"}");
        HttpResponse<String> missing = rpc("bob", "tasks/get", "{}");
        HttpResponse<String> badParams = rpc("bob", "tasks/get", "[1]");

        // The gateway refuses only tasks it knows to be someone else's; the agent answers the rest as it would.
        assertThat(List.of(garbage.statusCode(), missing.statusCode(), badParams.statusCode())).containsOnly(200);
        assertThat(agent.requests()).hasSize(3);
        assertThat(agent.requests()).allSatisfy(request -> assertThat(request.path()).isEqualTo("/rpc"));
    }

    @Test
    void theExtendedCardIsFilteredToo() throws Exception {
        String ext = "{\"jsonrpc\":\"2.0\",\"id\":\"r-1\",\"method\":\"agent/getAuthenticatedExtendedCard\",\"params\":{}}";
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/s/ext"))
                .header("Content-Type", "application/json").header("X-User", "bob")
                .POST(HttpRequest.BodyPublishers.ofString(ext)).build(), HttpResponse.BodyHandlers.ofString());

        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).at("/result/skills").forEach(skill -> ids.add(skill.path("id").asText()));
        assertThat(ids).containsExactly("echo");
    }

    @Test
    void aTaskListLeavesOutOthersTasks() throws Exception {
        send("alice", "echo");

        assertThat(JSON.readTree(get("/agents/s/tasks", "bob").body()).path("tasks")).hasSize(1);
        assertThat(JSON.readTree(get("/agents/s/tasks", "bob").body()).at("/tasks/0/id").asText()).isEqualTo("task-x");
        assertThat(JSON.readTree(get("/agents/s/tasks", "alice").body()).path("tasks")).hasSize(2);
    }

    @Test
    void aTaskLearntFromAStreamBelongsToItsCaller() throws Exception {
        HttpResponse<String> stream = rpc("/agents/s/stream", "alice", "message/stream",
                "{\"message\":{\"role\":\"user\",\"messageId\":\"m1\",\"parts\":[]}}");
        assertThat(stream.body()).contains("task-s");
        agent.reset();

        JsonNode bob = JSON.readTree(rpc("bob", "tasks/resubscribe", "{\"id\":\"task-s\"}").body());

        assertThat(bob.at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(agent.requests()).isEmpty();
    }
}
