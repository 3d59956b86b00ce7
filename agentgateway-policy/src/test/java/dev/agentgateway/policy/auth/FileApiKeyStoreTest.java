package dev.agentgateway.policy.auth;

import dev.agentgateway.policy.internal.WatchedFile;
import static dev.agentgateway.policy.auth.AuthTestSupport.eventually;
import static dev.agentgateway.policy.auth.AuthTestSupport.replace;
import static dev.agentgateway.policy.auth.AuthTestSupport.status;
import static dev.agentgateway.policy.auth.AuthTestSupport.tempFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A key file read again when it changes, keeping the last good keys when a new version is bad. */
class FileApiKeyStoreTest {
    private static final String FIRST = ApiKeys.generate();
    private static final String SECOND = ApiKeys.generate();
    private static final Path FILE = tempFile("keys.json", keys(entry("first", FIRST, "")));

    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("api").pathPrefix("/")
            .policy(Authentication.required(ApiKeyAuth.builder()
                    .store(FileApiKeyStore.of(FILE, Duration.ofMillis(20))).build()))
            .backend(HttpBackend.of(upstream.url()))));

    private static String keys(String... entries) {
        return "{\"keys\": [" + String.join(",", entries) + "]}";
    }

    private static String entry(String name, String key, String extra) {
        return "{\"name\": \"" + name + "\", \"sha256\": \"" + ApiKeys.sha256Hex(key) + "\"" + extra + "}";
    }

    @Test
    void keysFollowTheFileAndABadVersionKeepsTheLastGoodOne() throws Exception {
        assertThat(status(gateway, "/", "x-api-key", FIRST)).isEqualTo(200);
        assertThat(status(gateway, "/", "x-api-key", SECOND)).isEqualTo(401);

        replace(FILE, keys(entry("second", SECOND, ", \"roles\": [\"user\"]")));
        assertThat(eventually(() -> status(gateway, "/", "x-api-key", SECOND) == 200)).isTrue();
        assertThat(status(gateway, "/", "x-api-key", FIRST)).isEqualTo(401);

        Files.writeString(FILE, "{\"keys\": [{\"name\": \"half-writt"); // in place, as an editor would
        for (int i = 0; i < 10; i++) { // several poll intervals: the bad version never takes over
            assertThat(status(gateway, "/", "x-api-key", SECOND)).isEqualTo(200);
            Thread.sleep(20);
        }

        replace(FILE, keys(entry("first", FIRST, ""), entry("second", SECOND, "")));
        assertThat(eventually(() -> status(gateway, "/", "x-api-key", FIRST) == 200)).isTrue();
        assertThat(status(gateway, "/", "x-api-key", SECOND)).isEqualTo(200);
    }

    @Test
    void aBadFileKeepsTheLastGoodKeys(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, keys(entry("first", FIRST, "")));
        WatchedFile<ApiKeyIndex> watched = new WatchedFile<>(file, "API key file", ApiKeyFile::read);

        Files.writeString(file, "not json at all, and longer than before");
        watched.checkNow(); // sees the change
        watched.checkNow(); // sees it stayed: reads it
        assertThat(watched.value().lookup(ApiKeys.sha256(FIRST))).isNotNull();

        Files.delete(file);
        watched.checkNow(); // sees the change
        watched.checkNow(); // sees it stayed: reads it
        assertThat(watched.value().lookup(ApiKeys.sha256(FIRST))).isNotNull();

        Files.writeString(file, keys(entry("second", SECOND, "")));
        watched.checkNow(); // sees the change
        watched.checkNow(); // sees it stayed: reads it
        assertThat(watched.value().lookup(ApiKeys.sha256(FIRST))).isNull();
        assertThat(watched.value().lookup(ApiKeys.sha256(SECOND))).isNotNull();
    }

    @Test
    void aFileIsNotReadWhileItIsStillChanging(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, keys(entry("first", FIRST, "")));
        WatchedFile<ApiKeyIndex> watched = new WatchedFile<>(file, "API key file", ApiKeyFile::read);

        Files.writeString(file, keys(entry("second", SECOND, "")));
        watched.checkNow();
        Files.writeString(file, keys(entry("second", SECOND, ""), entry("first", FIRST, "")));
        watched.checkNow();
        assertThat(watched.value().lookup(ApiKeys.sha256(SECOND))).isNull();

        watched.checkNow();
        assertThat(watched.value().lookup(ApiKeys.sha256(SECOND))).isNotNull();
        assertThat(watched.value().lookup(ApiKeys.sha256(FIRST))).isNotNull();
    }

    @Test
    void aFileThatIsBadFromTheStartFailsAtOnce(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys.json");
        Files.writeString(file, "{\"keys\": [{\"name\": \"x\", \"sha256\": \"" + FIRST + "\"}]}");

        assertThatThrownBy(() -> FileApiKeyStore.of(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys[0] (x): sha256").hasMessageNotContaining(FIRST);
        assertThatThrownBy(() -> FileApiKeyStore.of(dir.resolve("missing.json"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFileFormatIsStrict() {
        String hash = ApiKeys.sha256Hex(FIRST);
        assertThat(parseError("{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"expires_at\": \"2020\"}]}"))
                .contains("unknown field \"expires_at\"");
        assertThat(parseError("{\"keys\": [{\"name\": \"a\", \"sha256\": \"" + hash + "\", \"expiresAt\": \"tomorrow\"}]}"))
                .contains("expiresAt must be an ISO-8601 instant");
        assertThat(parseError(keys(entry("a", FIRST, ""), entry("a", SECOND, "")))).contains("named 'a' exists already");
        assertThat(parseError("[]")).contains("\"keys\"");
        assertThat(parseError("{\"keys\": [{\"sha256\": \"" + hash + "\"}]}")).contains("\"name\" is required");
        assertThat(parseError("{\"keys\": [" + FIRST + "]}")).startsWith("not valid JSON at line 1").doesNotContain(FIRST);
    }

    @Test
    void entriesCarrySubjectRolesMetadataAndExpiry() {
        ApiKeyIndex index = ApiKeyFile.parse(keys(entry("ci", FIRST, ", \"subject\": \"robot\", \"roles\": [\"deployer\"],"
                + " \"metadata\": {\"team\": \"platform\"}, \"expiresAt\": \"2030-01-01T00:00:00Z\""))
                .getBytes(StandardCharsets.UTF_8));

        ApiKey key = index.lookup(ApiKeys.sha256(FIRST));
        assertThat(key.subject()).isEqualTo("robot");
        assertThat(key.roles()).containsExactly("deployer");
        assertThat(key.metadata()).containsEntry("team", "platform");
        assertThat(key.expiresAt()).isEqualTo("2030-01-01T00:00:00Z");
    }

    private static String parseError(String json) {
        try {
            ApiKeyFile.parse(json.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("accepted: " + json);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
