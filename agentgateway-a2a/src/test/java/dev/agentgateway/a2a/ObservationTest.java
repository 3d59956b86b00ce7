package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What policies and meters learn about each call: agent, method, skill, task, outcome, error code, task state. */
class ObservationTest {
    private static final List<A2aCall> calls = new CopyOnWriteArrayList<>();
    private static final List<Operation> operations = new CopyOnWriteArrayList<>();
    private static final List<A2aResult> results = new CopyOnWriteArrayList<>();

    /** What a policy module sees: the call and operation before the backend, the result once sent. */
    private static final Policy WATCH = (exchange, next) -> {
        calls.add(exchange.attribute(A2aCall.KEY));
        operations.add(exchange.attribute(Operation.KEY));
        exchange.onComplete(failure -> results.add(exchange.attribute(A2aResult.KEY)));
        return next.proceed(exchange);
    };

    private static final FakeHandler AGENT = (request, response) -> {
        String body = request.bodyText();
        String answer;
        if (body.contains("\"GetTask\"") && body.contains("\"nope\"")) {
            answer = "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32001,\"message\":\"Task not found\"}}";
        } else if (body.contains("message/send")) {
            answer = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"kind\":\"task\",\"id\":\"t-03\",\"contextId\":\"c-03\","
                    + "\"status\":{\"state\":\"input-required\"}}}";
        } else {
            answer = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t-new\",\"contextId\":\"c-1\","
                    + "\"status\":{\"state\":\"TASK_STATE_COMPLETED\"},\"artifacts\":[{\"parts\":[{\"text\":\"big\"}]}]}}}";
        }
        Fakes.json(200, answer).handle(request, response);
    };

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder().handler("/rpc", AGENT)
            .handler("/tasks/", Fakes.json(200, "{\"id\":\"t-9\",\"contextId\":\"c-9\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}"))
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("planner").pathPrefix("/agents/planner").policy(WATCH)
                    .backend(A2aBackend.builder().url(upstream.url()).jsonRpcPath("/rpc").build())));

    @BeforeEach
    void clear() {
        calls.clear();
        operations.clear();
        results.clear();
    }

    private void post(String body) throws Exception {
        gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/planner")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitResult() throws InterruptedException {
        for (int i = 0; i < 200 && results.isEmpty(); i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void aSendRecordsAgentMethodSkillAndTheNewTask() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"messageId\":\"m-1\","
                + "\"contextId\":\"c-1\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"plan\"}],\"metadata\":{\"skillId\":\"itinerary\"}}}}");
        awaitResult();
        A2aCall call = calls.get(0);
        assertThat(call.agent()).isEqualTo("planner");
        assertThat(call.binding()).isEqualTo(A2aCall.Binding.JSONRPC);
        assertThat(call.method()).isEqualTo("SendMessage");
        assertThat(call.version()).isEqualTo("1.0");
        assertThat(call.messageId()).isEqualTo("m-1");
        assertThat(call.contextId()).isEqualTo("c-1");
        assertThat(call.skill()).isEqualTo("itinerary");
        Operation operation = operations.get(0);
        assertThat(operation.protocol()).isEqualTo("a2a");
        assertThat(operation.action()).isEqualTo("send_message");
        assertThat(operation.resourceType()).isEqualTo("Agent");
        assertThat(operation.resourceId()).isEqualTo("planner");
        assertThat(operation.context()).containsEntry("skill", "itinerary").containsEntry("method", "SendMessage");
        A2aResult result = results.get(0);
        assertThat(result.outcome()).isEqualTo("success");
        assertThat(result.taskId()).isEqualTo("t-new");
        assertThat(result.taskState()).isEqualTo("completed");
        assertThat(gateway.meterRegistry().find("a2a.task.states").tag("state", "completed").counter()).isNotNull();
    }

    @Test
    void anAgentErrorIsRecordedWithItsCode() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"GetTask\",\"params\":{\"id\":\"nope\"}}");
        awaitResult();
        assertThat(calls.get(0).taskId()).isEqualTo("nope");
        assertThat(operations.get(0).action()).isEqualTo("get_task");
        assertThat(results.get(0).outcome()).isEqualTo("error");
        assertThat(results.get(0).errorCode()).isEqualTo("-32001");
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("agent", "planner").tag("method", "GetTask")
                .tag("outcome", "error").tag("error_code", "-32001").counter().count()).isGreaterThanOrEqualTo(1.0);
        assertThat(gateway.meterRegistry().find("a2a.request.duration").tag("method", "GetTask").timer()).isNotNull();
    }

    @Test
    void v03CallsAreUnderstoodUnderTheirOwnNames() throws Exception {
        post("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"message/send\",\"params\":{\"message\":{\"kind\":\"message\","
                + "\"messageId\":\"m-3\",\"taskId\":\"t-03\",\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"go\"}]}}}");
        awaitResult();
        assertThat(calls.get(0).method()).isEqualTo("SendMessage");
        assertThat(calls.get(0).wireMethod()).isEqualTo("message/send");
        assertThat(calls.get(0).version()).isEqualTo("0.3");
        assertThat(calls.get(0).taskId()).isEqualTo("t-03");
        assertThat(results.get(0).taskState()).isEqualTo("input_required");
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("version", "0.3").tag("method", "SendMessage").counter())
                .isNotNull();
    }

    @Test
    void restCallsTakeTheirTaskFromThePath() throws Exception {
        gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/planner/tasks/t-9")).header("A2A-Version", "1.0").build(),
                HttpResponse.BodyHandlers.ofString());
        awaitResult();
        assertThat(calls.get(0).binding()).isEqualTo(A2aCall.Binding.REST);
        assertThat(calls.get(0).method()).isEqualTo("GetTask");
        assertThat(calls.get(0).taskId()).isEqualTo("t-9");
        assertThat(results.get(0).outcome()).isEqualTo("success");
        assertThat(results.get(0).taskState()).isEqualTo("working");
    }

    @Test
    void malformedCallsAreCountedAsParseErrors() throws Exception {
        post("not json");
        // Answered before policies run, so only the meters see it.
        for (int i = 0; i < 200 && gateway.meterRegistry().find("a2a.requests").tag("error_code", "-32700").counter() == null; i++) {
            Thread.sleep(10);
        }
        assertThat(gateway.meterRegistry().find("a2a.requests").tag("error_code", "-32700").tag("outcome", "error").counter())
                .isNotNull();
        assertThat(calls).isEmpty();
    }
}
