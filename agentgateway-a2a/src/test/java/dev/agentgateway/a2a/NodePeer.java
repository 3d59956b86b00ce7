package dev.agentgateway.a2a;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A node script from {@code src/test/js} (a real {@code @a2a-js/sdk} peer), run as a child process.
 * Every stdout line that is JSON is kept; stderr goes to a file in {@code target/} for diagnosis.
 * Closing stdin (on {@link #close()}) asks the script to stop; it is killed if it does not.
 */
final class NodePeer implements AutoCloseable {
    static final Path JS_DIR = Path.of("src", "test", "js").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final Path stderr;
    private final String script;

    private NodePeer(String script, Map<String, String> env) throws IOException {
        this.script = script;
        if (!Files.isDirectory(JS_DIR.resolve("node_modules/@a2a-js/sdk"))) {
            throw new IllegalStateException("@a2a-js/sdk is not installed in " + JS_DIR
                    + ": run the build through Maven (it runs 'npm ci' in generate-test-resources)");
        }
        Files.createDirectories(Path.of("target"));
        this.stderr = Files.createTempFile(Path.of("target"), "node-" + script.replace('.', '-') + "-", ".stderr");
        ProcessBuilder builder = new ProcessBuilder(node(), script).directory(JS_DIR.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(env);
        this.process = builder.start();
        Thread.ofVirtual().name("node-" + script).start(this::pump);
    }

    /** Starts {@code script} with extra environment variables. */
    static NodePeer start(String script, Map<String, String> env) throws IOException {
        return new NodePeer(script, env);
    }

    private static String node() {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                File candidate = new File(dir, "node");
                if (candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        throw new IllegalStateException("node (Node.js 20+) is not on the PATH; the A2A interop tests need it");
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("{")) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // Not one of ours: ignore.
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    /** Waits for the first stdout line that has {@code field}. */
    JsonNode await(String field, Duration timeout) throws Exception {
        return await(line -> line.has(field), field, timeout);
    }

    /** Waits for the first stdout line that matches. */
    JsonNode await(Predicate<JsonNode> match, String what, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode line : lines) {
                if (match.test(line)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                Thread.sleep(100); // let the pump read the last lines
                for (JsonNode line : lines) {
                    if (match.test(line)) {
                        return line;
                    }
                }
                throw new AssertionError("node " + script + " exited (" + process.exitValue() + ") without printing "
                        + what + "; stderr:\n" + stderrText());
            }
            Thread.sleep(20);
        }
        throw new AssertionError("node " + script + " printed no " + what + " within " + timeout + "; stderr:\n" + stderrText());
    }

    /** Waits for the process to end and returns its exit code. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + script + " did not finish within " + timeout + "; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    /** Every JSON line printed so far. */
    List<JsonNode> lines() {
        return new ArrayList<>(lines);
    }

    /** The values of {@code field} of every line that has it. */
    List<JsonNode> all(String field) {
        List<JsonNode> values = new ArrayList<>();
        for (JsonNode line : lines) {
            if (line.has(field)) {
                values.add(line.get(field));
            }
        }
        return values;
    }

    String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws Exception {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
