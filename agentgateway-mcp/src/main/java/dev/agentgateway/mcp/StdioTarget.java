package dev.agentgateway.mcp;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.agentgateway.core.Checks;
import dev.agentgateway.mcp.internal.TargetNames;

/**
 * An MCP server started as a child process and spoken to over stdin/stdout (newline-delimited JSON-RPC);
 * its stderr goes to the log (logger {@code dev.agentgateway.mcp.stdio.<name>}).
 *
 * <p><b>One process per client session.</b> Each downstream session starts its own process, so that
 * per-session server state (log level, subscriptions, roots) never leaks between clients, and ending the
 * session (DELETE, idle expiry, gateway close) stops it: stdin is closed, then the process is asked to
 * terminate, then killed after {@link #stopTimeout()}. A process that exits unexpectedly fails the
 * calls in flight on it at once with a JSON-RPC error; it is restarted with exponential backoff (from
 * {@link #restartBackoff()} up to 30 s) and re-initialised, so later calls succeed.
 *
 * <pre>{@code
 * McpTarget.stdio("files", "npx", "-y", "@modelcontextprotocol/server-filesystem", "/data")
 *          .withEnv("NODE_ENV", "production")
 *          .withWorkingDirectory(Path.of("/srv"));
 * }</pre>
 *
 * @param name the target's name
 * @param command the executable
 * @param args its arguments
 * @param env variables added to (or replacing) the gateway's own environment
 * @param workingDirectory the process's working directory, or {@code null} for the gateway's
 * @param requestTimeout how long a request may take
 * @param restartBackoff the first delay before restarting a crashed process (doubling up to 30 s)
 * @param stopTimeout how long to wait after closing stdin, then after asking to terminate
 */
public record StdioTarget(String name, String command, List<String> args, Map<String, String> env, Path workingDirectory,
                          Duration requestTimeout, Duration restartBackoff, Duration stopTimeout) implements McpTarget {

    public StdioTarget {
        TargetNames.check(name);
        requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("target '" + name + "': command must not be blank");
        }
        args = List.copyOf(requireNonNull(args, "args"));
        env = Map.copyOf(requireNonNull(env, "env"));
        Checks.positive(requestTimeout, "requestTimeout");
        Checks.positive(restartBackoff, "restartBackoff");
        Checks.positive(stopTimeout, "stopTimeout");
    }

    static StdioTarget of(String name, String command, List<String> args) {
        return new StdioTarget(name, command, args, Map.of(), null, Duration.ofSeconds(60), Duration.ofMillis(200),
                Duration.ofSeconds(2));
    }

    /** Adds an environment variable for the process. */
    public StdioTarget withEnv(String variable, String value) {
        requireNonNull(variable, "variable");
        requireNonNull(value, "value");
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(variable, value);
        return new StdioTarget(name, command, args, copy, workingDirectory, requestTimeout, restartBackoff, stopTimeout);
    }

    /** Runs the process in this directory. */
    public StdioTarget withWorkingDirectory(Path directory) {
        return new StdioTarget(name, command, args, env, requireNonNull(directory, "workingDirectory"), requestTimeout,
                restartBackoff, stopTimeout);
    }

    /** How long a request may take (default 60 s). */
    public StdioTarget withRequestTimeout(Duration timeout) {
        return new StdioTarget(name, command, args, env, workingDirectory, timeout, restartBackoff, stopTimeout);
    }

    /** The first delay before a crashed process is restarted (default 200 ms, doubling up to 30 s). */
    public StdioTarget withRestartBackoff(Duration backoff) {
        return new StdioTarget(name, command, args, env, workingDirectory, requestTimeout, backoff, stopTimeout);
    }

    /** How long a stopping process gets after stdin is closed, and again after SIGTERM (default 2 s). */
    public StdioTarget withStopTimeout(Duration timeout) {
        return new StdioTarget(name, command, args, env, workingDirectory, requestTimeout, restartBackoff, timeout);
    }
}
