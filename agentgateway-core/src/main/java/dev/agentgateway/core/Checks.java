package dev.agentgateway.core;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Argument checks shared by the builders of the core and of the protocol modules, so that a mistake
 * fails at once with the same message wherever it is made.
 *
 * <pre>{@code
 * this.timeout = Checks.positive(timeout, "timeout");   // "timeout must be positive: PT0S"
 * }</pre>
 */
public final class Checks {
    private Checks() {
    }

    /** Returns {@code value} if it is a positive duration; otherwise throws naming {@code field}. */
    public static Duration positive(Duration value, String field) {
        requireNonNull(value, field);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive: " + value);
        }
        return value;
    }

    /** Returns {@code value} if it is zero or a positive duration; otherwise throws naming {@code field}. */
    public static Duration notNegative(Duration value, String field) {
        requireNonNull(value, field);
        if (value.isNegative()) {
            throw new IllegalArgumentException(field + " must not be negative: " + value);
        }
        return value;
    }

    /** Returns {@code path} if it names a readable file; otherwise throws naming {@code field}. */
    public static Path readableFile(Path path, String field) {
        requireNonNull(path, field);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(field + " is not a readable file: " + path);
        }
        return path;
    }
}
