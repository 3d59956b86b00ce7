package dev.agentgateway.policy.auth;

import dev.agentgateway.policy.internal.WatchedFile;
import static java.util.Objects.requireNonNull;

import dev.agentgateway.core.Checks;
import dev.agentgateway.core.GatewayContext;
import java.nio.file.Path;
import java.time.Duration;

/**
 * API keys read from a JSON file that holds only their hashes, read again when the file changes: keys
 * are added and revoked by editing the file, without a restart. A file that is not valid keeps the
 * last good keys (and a warning is logged), so a half-written edit never locks every client out.
 *
 * <pre>{@code
 * {
 *   "keys": [
 *     {"name": "ci-deploy", "sha256": "<ApiKeys.sha256Hex(key), or base64url>", "subject": "ci",
 *      "roles": ["deployer"], "metadata": {"team": "platform"}, "expiresAt": "2027-01-01T00:00:00Z"},
 *     {"name": "alice", "sha256": "..."}
 *   ]
 * }
 * }</pre>
 *
 * <pre>{@code
 * ApiKeyStore keys = FileApiKeyStore.of(Path.of("/etc/agentgateway/api-keys.json"));
 * Policy auth = Authentication.required(ApiKeyAuth.builder().store(keys).build());
 * }</pre>
 *
 * <p>The file is read when the store is made (an invalid file fails then) and again when a gateway
 * binds it; from then on the gateway's scheduler looks at the file's modification time and size every
 * {@link #of(Path, Duration) poll interval} (5 seconds by default) until the gateway stops, and reads
 * a change once it has stayed for one interval (so a reload takes one to two intervals). Only
 * {@code name} and {@code sha256} are required; {@code subject} defaults to the name; names and hashes
 * must be unique; unknown fields are errors.
 */
public final class FileApiKeyStore implements ApiKeyStore {
    private static final String WHAT = "API key file";

    private final Path file;
    private final Duration pollInterval;
    private final WatchedFile<ApiKeyIndex> keys;

    private FileApiKeyStore(Path file, Duration pollInterval) {
        this.file = file;
        this.pollInterval = pollInterval;
        this.keys = new WatchedFile<>(file, WHAT, ApiKeyFile::read);
    }

    /** Keys from {@code file}, polled every 5 seconds once bound. */
    public static FileApiKeyStore of(Path file) {
        return of(file, Duration.ofSeconds(5));
    }

    /**
     * Keys from {@code file}, polled every {@code pollInterval} once bound.
     *
     * @throws IllegalArgumentException when the file cannot be read or is not valid
     */
    public static FileApiKeyStore of(Path file, Duration pollInterval) {
        return new FileApiKeyStore(requireNonNull(file, "file"), Checks.positive(pollInterval, "pollInterval"));
    }

    /** A store of its own for {@code gateway}, which watches the file until {@link #close()}. */
    @Override
    public ApiKeyStore bind(GatewayContext gateway) {
        FileApiKeyStore bound = new FileApiKeyStore(file, pollInterval);
        bound.keys.watch(gateway, pollInterval);
        return bound;
    }

    @Override
    public ApiKey lookup(byte[] sha256) {
        return keys.value().lookup(sha256);
    }

    /** How many keys the last good version of the file holds. */
    public int size() {
        return keys.value().size();
    }

    @Override
    public void close() {
        keys.close();
    }

    @Override
    public String toString() {
        return "FileApiKeyStore[" + file + "]";
    }
}
