package dev.agentgateway.policy.cedar;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a {@link CedarAuthorization} reads its Cedar policies: a string, a file, or every
 * {@code *.cedar} file of a directory. Files and directories are watched: a changed policy set takes
 * effect without a restart once it parses and validates; an invalid one is refused with a log line and
 * the last good set stays in force.
 *
 * <pre>{@code
 * CedarPolicies.of("permit(principal in Group::\"dev\", action == Action::\"call_tool\", resource);");
 * CedarPolicies.file(Path.of("/etc/gateway/policies.cedar"));
 * CedarPolicies.directory(Path.of("/etc/gateway/policies"));
 * }</pre>
 */
public final class CedarPolicies {
    private final String text;
    private final Path path;
    private final boolean directory;

    private CedarPolicies(String text, Path path, boolean directory) {
        this.text = text;
        this.path = path;
        this.directory = directory;
    }

    /** Policies given as Cedar text; they never change. */
    public static CedarPolicies of(String policies) {
        return new CedarPolicies(requireNonNull(policies, "policies"), null, false);
    }

    /** The policies of one file, read again when it changes. */
    public static CedarPolicies file(Path file) {
        return new CedarPolicies(null, requireNonNull(file, "file"), false);
    }

    /** The policies of every {@code *.cedar} file in a directory (not its subdirectories), read again when one changes. */
    public static CedarPolicies directory(Path directory) {
        return new CedarPolicies(null, requireNonNull(directory, "directory"), true);
    }

    /** The watched file or directory, or {@code null} for text. */
    Path path() {
        return path;
    }

    /**
     * The current sources by name: {@code "policies"} for text, else the file names. Policy ids name
     * them, so that a validation error points at the file.
     */
    Map<String, String> read() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        if (text != null) {
            sources.put("policies", text);
        } else if (!directory) {
            sources.put(path.getFileName().toString(), Files.readString(path));
        } else {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> listing = Files.list(path)) {
                listing.filter(file -> file.getFileName().toString().endsWith(".cedar") && Files.isRegularFile(file))
                        .sorted().forEach(files::add);
            }
            for (Path file : files) {
                sources.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return sources;
    }

    @Override
    public String toString() {
        return text != null ? "Cedar policies (text)" : (directory ? "Cedar policy directory " : "Cedar policy file ") + path;
    }
}
