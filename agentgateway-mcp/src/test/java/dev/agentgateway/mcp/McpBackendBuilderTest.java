package dev.agentgateway.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Configuration mistakes fail when the backend is built, with a message naming the field. */
class McpBackendBuilderTest {

    @Test
    void aBackendNeedsTargetsWithUniqueNames() {
        assertThatThrownBy(() -> McpBackend.builder().build()).hasMessageContaining("no targets");
        McpBackend.Builder builder = McpBackend.builder().target(McpTarget.stdio("a", "cat"));
        assertThatThrownBy(() -> builder.target(McpTarget.sse("a", URI.create("http://127.0.0.1:1/sse"))))
                .hasMessageContaining("two targets are named 'a'");
    }

    @Test
    void settingsAreCheckedWhereTheyAreSet() {
        McpBackend.Builder builder = McpBackend.builder();
        assertThatThrownBy(() -> builder.sessionKey(new byte[7])).hasMessageContaining("sessionKey");
        assertThatThrownBy(() -> builder.sessionKeyHex("zz")).hasMessageContaining("sessionKeyHex");
        assertThatThrownBy(() -> builder.sessionIdleTimeout(Duration.ZERO)).hasMessageContaining("sessionIdleTimeout");
        assertThatThrownBy(() -> builder.allowedOrigins("evil.example.com")).hasMessageContaining("allowedOrigins");
        assertThatThrownBy(() -> builder.allowedHosts("http://evil.example.com")).hasMessageContaining("allowedHosts");
        assertThatThrownBy(() -> builder.maxMessageSize(10)).hasMessageContaining("maxMessageSize");
        assertThatThrownBy(() -> builder.eventBufferSize(0)).hasMessageContaining("eventBufferSize");
    }

    @Test
    void targetsCheckTheirOwnFields() throws Exception {
        assertThatThrownBy(() -> McpTarget.streamableHttp("web", URI.create("ftp://x/mcp"))).hasMessageContaining("uri");
        assertThatThrownBy(() -> McpTarget.stdio("cmd", " ")).hasMessageContaining("command");
        assertThatThrownBy(() -> McpTarget.stdio("cmd", "cat").withRequestTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("requestTimeout");
        assertThat(McpTarget.streamableHttp("web", URI.create("http://127.0.0.1/mcp")).withBearerToken("t").credentials()
                .headers(dev.agentgateway.core.Caller.ANONYMOUS))
                .containsEntry("Authorization", "Bearer t");
    }

    @Test
    void toolFiltersMatchGlobs() {
        ToolFilter filter = ToolFilter.allow("github_*", "notes_?ist").deny("*_delete*");
        assertThat(filter.permits("github_search")).isTrue();
        assertThat(filter.permits("github_delete_repo")).isFalse();
        assertThat(filter.permits("notes_list")).isTrue();
        assertThat(filter.permits("notes_add")).isFalse();
        assertThat(ToolFilter.ALL.permits("anything")).isTrue();
    }
}
