package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the upstream receives and what the client gets back, header by header. */
class ProxyHeadersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] GZIPPED = gzip("compressed body, relayed as it is");

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.builder()
            .handler("/", Fakes.echo())
            .handler("/hop", (request, response) -> response.status(200).header("Connection", "X-Private, close")
                    .header("X-Private", "secret").header("Keep-Alive", "timeout=5").header("X-Kept", "yes").write("ok"))
            .handler("/gzip", (request, response) -> response.status(200).header("Content-Type", "text/plain")
                    .header("Content-Encoding", "gzip").header("Content-Length", Integer.toString(GZIPPED.length)).write(GZIPPED))
            .build();

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("default").pathPrefix("/default").backend(HttpBackend.of(upstream.url())))
            .route(Route.builder("preserve").pathPrefix("/preserve").backend(HttpBackend.builder().endpoint(upstream.url()).preserveHost().build()))
            .route(Route.builder("fixed").pathPrefix("/fixed").backend(HttpBackend.builder().endpoint(upstream.url()).hostHeader("internal.svc").build()))
            .route(Route.builder("raw").pathPrefix("/").backend(HttpBackend.of(upstream.url()))));

    private static HttpClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = TestClients.jettyHttp1();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    private static JsonNode headersSeenUpstream(String path, Map<String, String> sent) throws Exception {
        ContentResponse response = client.newRequest(gateway.uri(path)).headers(h -> sent.forEach(h::put)).send();
        return JSON.readTree(response.getContentAsString()).get("headers");
    }

    @Test
    void hopByHopRequestHeadersAreNotForwarded() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of("Connection", "X-Hop", "X-Hop", "1", "Keep-Alive", "timeout=1",
                "Proxy-Authorization", "Basic abc", "X-End-To-End", "kept", "TE", "trailers, deflate"));
        assertThat(headers.has("x-hop")).isFalse();
        assertThat(headers.has("keep-alive")).isFalse();
        assertThat(headers.has("proxy-authorization")).isFalse();
        assertThat(headers.get("x-end-to-end").get(0).asText()).isEqualTo("kept");
        assertThat(headers.get("te").get(0).asText()).isEqualTo("trailers");
    }

    @Test
    void forwardingHeadersDescribeTheClient() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of());
        String authority = "127.0.0.1:" + gateway.port();
        assertThat(headers.get("x-forwarded-for").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(headers.get("x-forwarded-proto").get(0).asText()).isEqualTo("http");
        assertThat(headers.get("x-forwarded-host").get(0).asText()).isEqualTo(authority);
        assertThat(headers.get("forwarded").get(0).asText()).isEqualTo("for=127.0.0.1;host=\"" + authority + "\";proto=http");
    }

    @Test
    void forwardingHeadersFromAnUntrustedClientAreReplaced() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of("X-Forwarded-For", "6.6.6.6", "Forwarded", "for=6.6.6.6"));
        assertThat(headers.get("x-forwarded-for").get(0).asText()).isEqualTo("127.0.0.1");
        assertThat(headers.get("forwarded").get(0).asText()).doesNotContain("6.6.6.6");
    }

    @Test
    void hostIsTheEndpointsByDefault() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of("Host", "public.example.com"));
        assertThat(headers.get("host").get(0).asText()).isEqualTo("127.0.0.1:" + upstream.port());
        assertThat(headers.get("x-forwarded-host").get(0).asText()).isEqualTo("public.example.com");
    }

    @Test
    void hostCanBePreservedOrFixed() throws Exception {
        assertThat(headersSeenUpstream("/preserve/x", Map.of("Host", "public.example.com")).get("host").get(0).asText())
                .isEqualTo("public.example.com");
        assertThat(headersSeenUpstream("/fixed/x", Map.of("Host", "public.example.com")).get("host").get(0).asText())
                .isEqualTo("internal.svc");
    }

    @Test
    void theClientsUserAgentIsForwardedNotJettys() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of("User-Agent", "my-agent/1.0"));
        assertThat(headers.get("user-agent")).hasSize(1);
        assertThat(headers.get("user-agent").get(0).asText()).isEqualTo("my-agent/1.0");
    }

    @Test
    void hopByHopResponseHeadersAreDropped() throws Exception {
        ContentResponse response = client.newRequest(gateway.uri("/hop")).send();
        assertThat(response.getHeaders().get("X-Private")).isNull();
        assertThat(response.getHeaders().get("Keep-Alive")).isNull();
        assertThat(response.getHeaders().get("X-Kept")).isEqualTo("yes");
    }

    @Test
    void compressedBodiesPassUntouched() throws Exception {
        ContentResponse response = client.newRequest(gateway.uri("/gzip")).headers(h -> h.put("Accept-Encoding", "gzip")).send();
        assertThat(response.getHeaders().get("Content-Encoding")).isEqualTo("gzip");
        assertThat(response.getContent()).isEqualTo(GZIPPED);
        assertThat(upstream.lastRequest().header("Accept-Encoding")).isEqualTo("gzip");
    }

    @Test
    void noAcceptEncodingIsAddedWhenTheClientSentNone() throws Exception {
        JsonNode headers = headersSeenUpstream("/default/x", Map.of());
        assertThat(headers.has("accept-encoding")).isFalse();
    }

    private static byte[] gzip(String text) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
