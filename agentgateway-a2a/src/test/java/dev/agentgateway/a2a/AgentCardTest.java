package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.PathRewrite;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeHandler;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent cards served through the gateway: every URL rewritten to point back through it, for v0.3, v1.0 and hybrid cards. */
class AgentCardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Serves a card whose URLs name this upstream's own address (as real agents do), read at request time. */
    private static FakeHandler card(String template) {
        return (request, response) -> {
            String self = "http://" + request.header("Host");
            byte[] body = template.replace("SELF", self).getBytes();
            response.status(200).header("Content-Type", "application/json").header("Cache-Control", "max-age=60")
                    .header("Content-Length", Integer.toString(body.length)).write(body);
        };
    }

    private static final String V03 = """
            {"protocolVersion":"0.3.0","name":"Travel","description":"books trips","version":"1.2.0",
             "url":"SELF/a2a/v1","preferredTransport":"JSONRPC",
             "additionalInterfaces":[{"url":"SELF/a2a/v1","transport":"JSONRPC"},{"url":"SELF/a2a/grpc","transport":"GRPC"},
                                     {"url":"SELF/a2a/json","transport":"HTTP+JSON"}],
             "provider":{"organization":"Example","url":"https://example.com"},"iconUrl":"https://example.com/icon.png",
             "capabilities":{"streaming":true},"defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
             "skills":[{"id":"book","name":"Book","description":"books","tags":["travel"]}],
             "signatures":[{"protected":"eyJhbGciOiJFUzI1NiJ9","signature":"c2ln"}]}""";

    private static final String V10 = """
            {"name":"Echo","description":"echoes","version":"1.0.0",
             "supportedInterfaces":[{"url":"SELF/base/jsonrpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                                    {"url":"SELF/base/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                                    {"url":"SELF/elsewhere/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"},
                                    {"url":"SELF/base","protocolBinding":"GRPC","protocolVersion":"1.0"}],
             "capabilities":{"streaming":true},"defaultInputModes":["text/plain"],"defaultOutputModes":["text/plain"],
             "skills":[{"id":"echo","name":"Echo","description":"echo","tags":[]}],"signatures":[]}""";

    private static final String HYBRID = """
            {"name":"Both","description":"d","version":"1","url":"SELF/rpc","preferredTransport":"JSONRPC","protocolVersion":"0.3",
             "additionalInterfaces":[{"url":"SELF/rest","transport":"HTTP+JSON"}],
             "supportedInterfaces":[{"url":"SELF/rpc","protocolBinding":"JSONRPC","protocolVersion":"1.0"},
                                    {"url":"SELF/rpc","protocolBinding":"JSONRPC","protocolVersion":"0.3"}],
             "capabilities":{},"defaultInputModes":[],"defaultOutputModes":[],"skills":[]}""";

    @RegisterExtension
    static final FakeUpstream v03 = FakeUpstream.builder().handler("/.well-known/agent-card.json", card(V03))
            .handler("/a2a/.well-known/agent-card.json", card(V03)).build();

    @RegisterExtension
    static final FakeUpstream v10 = FakeUpstream.builder().handler("/base/.well-known/agent-card.json", card(V10))
            .handler("/base/jsonrpc", card("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + V10 + "}"))
            .handler("/base/rest/extendedAgentCard", card(V10))
            .build();

    @RegisterExtension
    static final FakeUpstream hybrid = FakeUpstream.builder().handler("/.well-known/agent-card.json", card(HYBRID)).build();

    @RegisterExtension
    static final FakeUpstream broken = FakeUpstream.builder()
            .handler("/bad/.well-known/agent-card.json", Fakes.json(200, "{\"name\": \"oops\""))
            .handler("/array/.well-known/agent-card.json", Fakes.json(200, "[1,2]"))
            .handler("/missing", Fakes.canned(404, "no card here"))
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .trustForwardedHeaders(true)
            .route(Route.builder("travel").pathPrefix("/agents/travel").backend(A2aBackend.of(v03.url())))
            .route(Route.builder("echo").pathPrefix("/agents/echo").backend(A2aBackend.of(v10.url() + "/base")))
            .route(Route.builder("both").pathPrefix("/agents/both").backend(A2aBackend.of(hybrid.url())))
            .route(Route.builder("rewritten").pathPrefix("/agents/rewritten").rewritePath(PathRewrite.replacePrefix("/a2a"))
                    .backend(A2aBackend.of(v03.url())))
            .route(Route.builder("bad").pathPrefix("/agents/bad").backend(A2aBackend.of(broken.url() + "/bad")))
            .route(Route.builder("array").pathPrefix("/agents/array").backend(A2aBackend.of(broken.url() + "/array")))
            .route(Route.builder("missing").pathPrefix("/agents/missing").backend(A2aBackend.of(broken.url() + "/missing")))
            .route(Route.builder("down").pathPrefix("/agents/down").backend(A2aBackend.of("http://127.0.0.1:1"))));

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base(String agent) {
        return gateway.uri("/agents/" + agent).toString();
    }

    @Test
    void v03CardUrlAndEveryAdditionalInterfacePointThroughTheGateway() throws Exception {
        HttpResponse<String> response = get("/agents/travel/.well-known/agent-card.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode card = JSON.readTree(response.body());
        assertThat(card.get("url").asText()).isEqualTo(base("travel") + "/a2a/v1");
        assertThat(card.get("additionalInterfaces")).extracting(i -> i.get("url").asText())
                .containsExactly(base("travel") + "/a2a/v1", base("travel") + "/a2a/json");
        assertThat(card.get("additionalInterfaces")).extracting(i -> i.get("transport").asText()).doesNotContain("GRPC");
        assertThat(card.has("signatures")).as("signatures the rewrite invalidates are dropped").isFalse();
        assertThat(card.at("/provider/url").asText()).isEqualTo("https://example.com");
        assertThat(card.get("iconUrl").asText()).isEqualTo("https://example.com/icon.png");
        assertThat(card.at("/skills/0/id").asText()).isEqualTo("book");
        assertThat(response.body()).doesNotContain(v03.url());
    }

    @Test
    void v10SupportedInterfacesAreReanchoredBelowTheAgentsBasePathAndUnroutableOnesDropped() throws Exception {
        JsonNode card = JSON.readTree(get("/agents/echo/.well-known/agent-card.json", "A2A-Version", "1.0").body());
        assertThat(card.get("supportedInterfaces")).extracting(i -> i.get("url").asText())
                .containsExactly(base("echo") + "/jsonrpc", base("echo") + "/rest");
        assertThat(card.has("signatures")).isFalse();
    }

    @Test
    void extendedCardsAreRewrittenOnBothBindings() throws Exception {
        HttpResponse<String> rpc = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/echo/jsonrpc"))
                .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"GetExtendedAgentCard\",\"params\":{}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode viaRpc = JSON.readTree(rpc.body()).get("result");
        assertThat(viaRpc.get("supportedInterfaces")).extracting(i -> i.get("url").asText())
                .containsExactly(base("echo") + "/jsonrpc", base("echo") + "/rest");
        JsonNode viaRest = JSON.readTree(get("/agents/echo/rest/extendedAgentCard", "A2A-Version", "1.0").body());
        assertThat(viaRest.get("supportedInterfaces")).extracting(i -> i.get("url").asText())
                .containsExactly(base("echo") + "/jsonrpc", base("echo") + "/rest");
    }

    @Test
    void hybridCardsHaveBothSetsOfUrlsRewritten() throws Exception {
        JsonNode card = JSON.readTree(get("/agents/both/.well-known/agent-card.json").body());
        assertThat(card.get("url").asText()).isEqualTo(base("both") + "/rpc");
        assertThat(card.at("/additionalInterfaces/0/url").asText()).isEqualTo(base("both") + "/rest");
        assertThat(card.get("supportedInterfaces")).extracting(i -> i.get("url").asText())
                .containsOnly(base("both") + "/rpc");
    }

    @Test
    void versionAndAcceptAreForwardedAndTheAnswerVariesByVersion() throws Exception {
        hybrid.reset();
        HttpResponse<String> response = get("/agents/both/.well-known/agent-card.json", "A2A-Version", "1.0",
                "Accept", "application/json", "Accept-Encoding", "gzip");
        assertThat(hybrid.lastRequest().header("A2A-Version")).isEqualTo("1.0");
        assertThat(hybrid.lastRequest().header("Accept")).isEqualTo("application/json");
        assertThat(hybrid.lastRequest().header("Accept-Encoding")).isNull();
        assertThat(response.headers().firstValue("Vary")).hasValueSatisfying(v -> assertThat(v).contains("A2A-Version"));
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=60");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(response.body().getBytes().length));
    }

    @Test
    void theRewrittenCardHasItsOwnEtagAndConditionalRequestsGet304() throws Exception {
        HttpResponse<String> first = get("/agents/travel/.well-known/agent-card.json");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/agents/travel/.well-known/agent-card.json", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/agents/travel/.well-known/agent-card.json", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedProtoAndHostAreHonouredWhenTheGatewayTrustsThem() throws Exception {
        JsonNode card = JSON.readTree(get("/agents/travel/.well-known/agent-card.json",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "agents.example.com").body());
        assertThat(card.get("url").asText()).isEqualTo("https://agents.example.com/agents/travel/a2a/v1");
    }

    @Test
    void aPrefixRewriteOnTheRouteIsMappedBackInTheCard() throws Exception {
        v03.reset();
        JsonNode card = JSON.readTree(get("/agents/rewritten/.well-known/agent-card.json").body());
        assertThat(v03.lastRequest().path()).isEqualTo("/a2a/.well-known/agent-card.json");
        // The agent says /a2a/v1; the route maps /agents/rewritten -> /a2a, so the public URL is /agents/rewritten/v1.
        assertThat(card.get("url").asText()).isEqualTo(base("rewritten") + "/v1");
        assertThat(card.get("additionalInterfaces")).extracting(i -> i.get("url").asText())
                .containsExactly(base("rewritten") + "/v1", base("rewritten") + "/json");
    }

    @Test
    void theLegacyCardNameIsServedToo() throws Exception {
        HttpResponse<String> response = get("/agents/travel/.well-known/agent.json");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("url").asText()).isEqualTo(base("travel") + "/a2a/v1");
    }

    @Test
    void aCardThatIsNotJsonIs502WithAClearMessage() throws Exception {
        HttpResponse<String> response = get("/agents/bad/.well-known/agent-card.json");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("Agent 'bad'").contains("not valid JSON");
        HttpResponse<String> array = get("/agents/array/.well-known/agent-card.json");
        assertThat(array.statusCode()).isEqualTo(502);
        assertThat(array.body()).contains("not an agent card object");
    }

    @Test
    void aMissingCardKeepsTheAgentsStatus() throws Exception {
        assertThat(get("/agents/missing/.well-known/agent-card.json").statusCode()).isEqualTo(404);
    }

    @Test
    void anUnreachableAgentsCardIs502() throws Exception {
        HttpResponse<String> response = get("/agents/down/.well-known/agent-card.json");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("Agent 'down'");
    }

    @Test
    void anUnknownAgentPrefixIs404() throws Exception {
        HttpResponse<String> response = get("/agents/nobody/.well-known/agent-card.json");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Map.of("body", response.body())).isNotEmpty();
    }
}
