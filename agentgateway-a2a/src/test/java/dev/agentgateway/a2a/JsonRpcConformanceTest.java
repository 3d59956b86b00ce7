package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Raw JSON-RPC checks written from the A2A specification and the assertions of the official TCK
 * (reference a2a.md sections 3, 6 and 10), sent through the gateway to a real {@code @a2a-js/sdk}
 * agent, at the agent's prefix itself as the TCK does.
 */
class JsonRpcConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("shouter").pathPrefix("/agents/shouter")
                    .backend(A2aBackend.builder().url(agent.url()).addMissingVersionHeader(true).build()))
            .route(Route.builder("strict").pathPrefix("/agents/strict").backend(A2aBackend.of(agent.url()))));

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String send(String id, String method, String text) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":{\"message\":"
                + "{\"messageId\":\"m-" + System.nanoTime() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"" + text + "\"}]}}}";
    }

    @Test
    void malformedJsonIsAParseErrorWithHttp200AndNeverReachesTheAgent() throws Exception {
        int before = agent.requests().size();
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(body.get("id").isNull()).isTrue();
        assertThat(body.at("/error/code").asInt()).isEqualTo(-32700);
        assertThat(agent.requests()).hasSize(before);
    }

    @Test
    void envelopeWithoutJsonrpcVersionIsAnInvalidRequestEchoingTheId() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"1.0\",\"id\":\"abc\",\"method\":\"GetTask\",\"params\":{}}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(json(response).get("id").asText()).isEqualTo("abc");
    }

    @Test
    void envelopeWithoutMethodIsAnInvalidRequest() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"2.0\",\"id\":7}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32600);
        assertThat(json(response).get("id").asInt()).isEqualTo(7);
    }

    @Test
    void batchesAreInvalidRequests() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "[" + send("1", "SendMessage", "a") + "]");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32600);
    }

    @Test
    void unknownMethodIsMethodNotFoundFromTheAgent() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"NoSuchMethod\",\"params\":{}}",
                "A2A-Version", "1.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32601);
        assertThat(json(response).get("id").asInt()).isEqualTo(3);
    }

    @Test
    void invalidParamsAreAnErrorWithHttp200() throws Exception {
        HttpResponse<String> response = post("/agents/shouter",
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"SendMessage\",\"params\":{}}",
                "A2A-Version", "1.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32602);
        assertThat(json(response).get("id").asInt()).isEqualTo(4);
    }

    @Test
    void taskNotFoundIsMinus32001WithHttp200() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"GetTask\",\"params\":{\"id\":\"nope\"}}",
                "A2A-Version", "1.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32001);
        assertThat(json(response).get("id").asInt()).isEqualTo(5);
    }

    @Test
    void v03TaskNotFoundUsesTheLegacyMethodNames() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tasks/get\",\"params\":{\"id\":\"nope\"}}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).at("/error/code").asInt()).isEqualTo(-32001);
    }

    @Test
    void sendMessageAtThePrefixItselfReachesTheAgentsJsonRpcInterface() throws Exception {
        HttpResponse<String> response = post("/agents/shouter", send("1", "SendMessage", "hi"), "A2A-Version", "1.0");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode task = json(response).at("/result/task");
        assertThat(task.at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        assertThat(task.at("/artifacts/0/parts/0/text").asText()).isEqualTo("HI");
    }

    @Test
    void sendMessageAtTheAdvertisedInterfacePathWorksToo() throws Exception {
        HttpResponse<String> response = post("/agents/shouter/rpc", send("\"s\"", "SendMessage", "there"), "A2A-Version", "1.0");
        assertThat(json(response).at("/result/task/artifacts/0/parts/0/text").asText()).isEqualTo("THERE");
    }

    @Test
    void missingVersionIsAddedForV10MethodsWhenConfigured() throws Exception {
        // The TCK sends no A2A-Version, which means 0.3: this agent (v0.3 compat on) then does not know
        // SendMessage (-32601; a v1.0-only agent answers -32009) unless the gateway adds the header.
        HttpResponse<String> helped = post("/agents/shouter", send("1", "SendMessage", "tck"));
        assertThat(json(helped).at("/result/task/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        HttpResponse<String> strict = post("/agents/strict", send("1", "SendMessage", "tck"));
        assertThat(strict.statusCode()).isEqualTo(200);
        assertThat(json(strict).at("/error/code").asInt()).isIn(-32601, -32009);
    }

    @Test
    void v03MessageSendIsPassedThroughUntranslated() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"message/send\",\"params\":{\"message\":{\"kind\":\"message\","
                + "\"messageId\":\"m03\",\"role\":\"user\",\"parts\":[{\"kind\":\"text\",\"text\":\"old\"}]}}}";
        JsonNode result = json(post("/agents/shouter", body)).get("result");
        assertThat(result.get("kind").asText()).isEqualTo("task");
        assertThat(result.at("/status/state").asText()).isEqualTo("completed");
    }

    @Test
    void restBindingIsPassedThrough() throws Exception {
        HttpResponse<String> created = post("/agents/shouter/rest/message:send",
                "{\"message\":{\"messageId\":\"r1\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"rest\"}]}}",
                "A2A-Version", "1.0", "Content-Type", "application/a2a+json");
        assertThat(created.statusCode()).isBetween(200, 201);
        String taskId = json(created).at("/task/id").asText();
        HttpResponse<String> fetched = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/shouter/rest/tasks/" + taskId))
                .header("A2A-Version", "1.0").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(json(fetched).at("/status/state").asText()).isEqualTo("TASK_STATE_COMPLETED");
        HttpResponse<String> missing = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/shouter/rest/tasks/nope"))
                .header("A2A-Version", "1.0").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void cardHasTheMandatoryFieldsWithTheirTypesAndPointsThroughTheGateway() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(
                gateway.uri("/agents/shouter/.well-known/agent-card.json")).header("A2A-Version", "1.0").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode card = json(response);
        for (String field : List.of("name", "description", "version")) {
            assertThat(card.get(field).isTextual()).as(field).isTrue();
        }
        assertThat(card.get("capabilities").isObject()).isTrue();
        assertThat(card.get("defaultInputModes").isArray()).isTrue();
        assertThat(card.get("defaultOutputModes").isArray()).isTrue();
        assertThat(card.get("skills").isArray()).isTrue();
        assertThat(card.at("/skills/0/id").isTextual()).isTrue();
        assertThat(card.get("supportedInterfaces").isArray()).isTrue();
        String base = gateway.uri("/agents/shouter").toString();
        for (JsonNode entry : card.get("supportedInterfaces")) {
            assertThat(entry.get("url").asText()).startsWith(base + "/");
            assertThat(entry.get("protocolBinding").asText()).isIn("JSONRPC", "HTTP+JSON");
        }
        assertThat(card.has("signatures")).isFalse();
    }

    @Test
    void forwardedHeadersFromClientsAreIgnoredWhenTheGatewayDoesNotTrustThem() throws Exception {
        HttpResponse<String> response = gateway.httpClient().send(HttpRequest.newBuilder(
                gateway.uri("/agents/shouter/.well-known/agent-card.json")).header("A2A-Version", "1.0")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).doesNotContain("evil.example").contains(gateway.uri("/agents/shouter/rpc").toString());
    }

    @Test
    void everyRequestReachedTheAgentThroughTheGateway() throws Exception {
        post("/agents/shouter", send("1", "SendMessage", "proof"), "A2A-Version", "1.0");
        // Requests of clients carry the gateway's forwarding headers; the gateway's own card fetches its user agent.
        String authority = URI.create(gateway.uri().toString()).getAuthority();
        assertThat(agent.requests()).isNotEmpty().allSatisfy(request -> assertThat(
                authority.equals(request.get("forwardedHost").asText()) || "agentgateway".equals(request.get("userAgent").asText()))
                .as("%s came through the gateway", request).isTrue());
    }
}
