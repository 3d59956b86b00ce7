package dev.agentgateway.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Gateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class CedarSampleTest {

    private static HttpResponse<String> post(HttpClient http, URI mcp, String key, String session, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(mcp).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String session(HttpClient http, URI mcp, String key) throws Exception {
        return post(http, mcp, key, null, """
                {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""")
                .headers().firstValue("Mcp-Session-Id").orElseThrow();
    }

    @Test
    void readersAndWritersSeeTheirOwnTools() throws Exception {
        try (Gateway gateway = CedarSample.start(0); HttpClient http = HttpClient.newHttpClient()) {
            URI mcp = URI.create("http://127.0.0.1:" + gateway.port() + "/mcp");
            String reader = session(http, mcp, CedarSample.READER_KEY);
            String tools = post(http, mcp, CedarSample.READER_KEY, reader, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").body();
            assertThat(tools).contains("\"clock_now\"", "\"notes_list\"").doesNotContain("\"notes_add\"");
            assertThat(post(http, mcp, CedarSample.READER_KEY, reader, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"notes_add","arguments":{"text":"x"}}}""").body())
                    .contains("Unknown tool: notes_add");

            String writer = session(http, mcp, CedarSample.WRITER_KEY);
            assertThat(post(http, mcp, CedarSample.WRITER_KEY, writer, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}").body())
                    .contains("\"notes_add\"");
            assertThat(post(http, mcp, CedarSample.WRITER_KEY, writer, """
                    {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"notes_add","arguments":{"text":"buy milk"}}}""").body())
                    .doesNotContain("\"error\"");
            assertThat(post(http, mcp, CedarSample.WRITER_KEY, writer, """
                    {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"notes_add","arguments":{"text":"my password is 1234"}}}""").body())
                    .contains("Unknown tool: notes_add");
            assertThat(post(http, mcp, CedarSample.READER_KEY, reader, """
                    {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"notes_list","arguments":{}}}""").body())
                    .contains("buy milk").doesNotContain("password");
        }
    }
}
