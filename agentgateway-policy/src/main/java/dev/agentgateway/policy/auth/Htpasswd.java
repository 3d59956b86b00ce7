package dev.agentgateway.policy.auth;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * User names and bcrypt password hashes in the format of Apache's {@code htpasswd} file, as made by
 * {@code htpasswd -B} (or {@code -nbB user password}): one {@code user:$2y$10$...} a line, {@code #}
 * comments and blank lines allowed. Immutable.
 *
 * <pre>{@code
 * Htpasswd users = Htpasswd.parse("""
 *         # made with: htpasswd -nbB alice 'correct horse'
 *         alice:$2y$05$...
 *         bob:$2b$12$...
 *         """);
 * Htpasswd fromFile = Htpasswd.read(Path.of("/etc/agentgateway/htpasswd"));
 * }</pre>
 *
 * <p>Only bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) is accepted. Other kinds that htpasswd
 * can write (MD5 {@code $apr1$}, {@code {SHA}}, crypt, plain text) are fast to brute-force if the
 * file leaks; a line using one is skipped with a warning that names the user, never the hash, and
 * that user cannot log in. A line without {@code user:}, a user listed twice or an empty file makes
 * the file invalid.
 */
public final class Htpasswd {
    private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private final Map<String, String> hashes;
    private final int maxCost;

    private Htpasswd(Map<String, String> hashes, int maxCost) {
        this.hashes = Map.copyOf(hashes);
        this.maxCost = maxCost;
    }

    /**
     * Reads htpasswd lines.
     *
     * @throws IllegalArgumentException naming the line (not its content) when a line is malformed
     */
    public static Htpasswd parse(String text) {
        requireNonNull(text, "text");
        if (text.isBlank()) {
            // more likely a truncated write or a mistaken "> htpasswd" than a wish for no users
            throw new IllegalArgumentException("the file is empty (for no users, write a # comment line)");
        }
        Map<String, String> hashes = new LinkedHashMap<>();
        int maxCost = 0;
        String[] lines = text.split("\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("line " + number + ": expected user:hash");
            }
            String user = line.substring(0, colon);
            if (hashes.containsKey(user)) {
                throw new IllegalArgumentException("line " + number + ": user '" + user + "' is listed twice");
            }
            Matcher bcrypt = BCRYPT.matcher(line.substring(colon + 1));
            if (!bcrypt.matches()) {
                LOG.warn("htpasswd line {}: user '{}' skipped, cannot log in: password hash kind {} is not supported"
                        + " (only bcrypt, htpasswd -B)", number, user, kind(line.substring(colon + 1)));
                continue;
            }
            hashes.put(user, bcrypt.group());
            maxCost = Math.max(maxCost, Integer.parseInt(bcrypt.group(1)));
        }
        return new Htpasswd(hashes, maxCost);
    }

    /** Reads an htpasswd file (UTF-8). */
    public static Htpasswd read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The users that can log in. */
    public Set<String> users() {
        return hashes.keySet();
    }

    /** The user's bcrypt hash, or {@code null}. */
    String hash(String user) {
        return hashes.get(user);
    }

    /** The highest bcrypt cost in the file, or 0 when it has no users. */
    int maxCost() {
        return maxCost;
    }

    /** What kind of hash an unsupported one is, for the warning; never the hash itself. */
    private static String kind(String hash) {
        if (hash.startsWith("$apr1$")) {
            return "MD5 ($apr1$)";
        }
        if (hash.startsWith("{SHA}")) {
            return "SHA-1 ({SHA})";
        }
        if (hash.startsWith("$2")) {
            return "malformed bcrypt";
        }
        return hash.startsWith("$") ? "crypt" : "crypt or plain-text";
    }

    @Override
    public String toString() {
        return "Htpasswd[" + hashes.size() + " users]";
    }
}
