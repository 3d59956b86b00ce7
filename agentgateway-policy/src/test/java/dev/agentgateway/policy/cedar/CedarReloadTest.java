package dev.agentgateway.policy.cedar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files: reload, refusal of an invalid version, directories; and what the decision cache must not hide. */
class CedarReloadTest {
    private static final String DEV_CALLS = "permit(principal in Group::\"dev\", action == Action::\"call_tool\", resource);\n";
    private static final String OPS_CALLS = "permit(principal in Group::\"ops\", action == Action::\"call_tool\", resource);\n";

    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aChangedFileTakesEffectAndAnInvalidOneIsRefused() throws Exception {
        Path file = dir.resolve("policies.cedar");
        Files.writeString(file, DEV_CALLS);
        try (Gateway gateway = start(CedarAuthorization.builder().policies(CedarPolicies.file(file))
                .reloadInterval(Duration.ofMillis(50)).build())) {
            assertThat(call(gateway, "dev")).isEqualTo(200);
            assertThat(call(gateway, "ops")).isEqualTo(404);

            Files.writeString(file, OPS_CALLS);
            awaitStatus(gateway, "ops", 200);
            assertThat(call(gateway, "dev")).isEqualTo(404);

            Files.writeString(file, "permit(principal, action == Action::\"call_tol\", resource);"); // a typo
            Thread.sleep(400); // several polls: the refused version must not replace the good one
            assertThat(call(gateway, "ops")).isEqualTo(200);

            Files.delete(file);
            Thread.sleep(400);
            assertThat(call(gateway, "ops")).isEqualTo(200);
        }
    }

    @Test
    void aDirectoryIsEveryCedarFileInIt() throws Exception {
        Files.writeString(dir.resolve("dev.cedar"), DEV_CALLS);
        Files.writeString(dir.resolve("notes.txt"), "not a policy");
        try (Gateway gateway = start(CedarAuthorization.builder().policies(CedarPolicies.directory(dir))
                .reloadInterval(Duration.ofMillis(50)).build())) {
            assertThat(call(gateway, "dev")).isEqualTo(200);
            assertThat(call(gateway, "ops")).isEqualTo(404);
            Files.writeString(dir.resolve("ops.cedar"), OPS_CALLS);
            awaitStatus(gateway, "ops", 200);
            assertThat(call(gateway, "dev")).isEqualTo(200);
        }
    }

    @Test
    void anErrorInAFileNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("good.cedar"), DEV_CALLS);
        Files.writeString(dir.resolve("bad.cedar"), "permit(principal, action == Action::\"use_model\", resource) when { principal.nope };");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies(CedarPolicies.directory(dir)).build()).withMessageContaining("bad.cedar#0");
        assertThatIllegalArgumentException().isThrownBy(() -> CedarAuthorization.builder()
                .policies(CedarPolicies.file(dir.resolve("missing.cedar"))).build()).withMessageContaining("cannot be read");
    }

    @Test
    void anEvaluationErrorDenies() throws Exception {
        // limit is declared a String, but the client sends a number: Cedar fails on `like`, and that denies
        try (Gateway gateway = start(CedarAuthorization.builder()
                .policies("permit(principal, action == Action::\"call_tool\", resource) when "
                        + "{ context has arguments && context.arguments has limit && context.arguments.limit like \"1*\" };")
                .schemaExtension("type Arguments = { limit?: String };").build())) {
            HttpResponse<String> response = send(gateway, "POST", "/tools/call/a/one", "limit=12", "dev");
            assertThat(response.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void decisionsThatReadTheTimeAreNotReusedAcrossSeconds() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T09:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (Gateway gateway = start(CedarAuthorization.builder().clock(clock)
                .policies("permit(principal, action == Action::\"call_tool\", resource) when "
                        + "{ context.now.toTime() < duration(\"17h\") };").build())) {
            assertThat(call(gateway, "dev")).isEqualTo(200);
            now.set(Instant.parse("2026-12-07T18:00:00Z"));
            assertThat(call(gateway, "dev")).isEqualTo(404);
        }
    }

    private static Gateway start(CedarAuthorization authorization) throws Exception {
        Gateway gateway = Gateway.builder().host("127.0.0.1").port(0)
                .policy(CedarTestSupport.headerPrincipal()).policy(authorization)
                .route(Route.builder("tools").pathPrefix("/tools").backend(CedarTestSupport.toolBackend()).build())
                .build();
        gateway.start();
        return gateway;
    }

    private int call(Gateway gateway, String role) throws Exception {
        return send(gateway, "POST", "/tools/call/a/one", "", role).statusCode();
    }

    private void awaitStatus(Gateway gateway, String role, int status) throws Exception {
        for (int i = 0; i < 200 && call(gateway, role) != status; i++) {
            Thread.sleep(25);
        }
        assertThat(call(gateway, role)).isEqualTo(status);
    }

    private HttpResponse<String> send(Gateway gateway, String method, String path, String body, String role) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("X-User", "someone").header("X-Roles", role).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
