package dev.agentgateway.llm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one of the node scripts in {@code src/test/js} (official provider SDKs, installed by
 * {@code npm ci} during the build) and returns the JSON line it prints. Fails with a clear message
 * when node or the packages are missing; never skips.
 */
final class NodeScript {
    private static final Path DIR = Path.of("src/test/js").toAbsolutePath();

    private NodeScript() {
    }

    static JsonNode run(String script, Map<String, String> env, String... args) throws Exception {
        if (!Files.isDirectory(DIR.resolve("node_modules"))) {
            throw new IllegalStateException("npm packages are missing in " + DIR + ": run ./mvnw verify (which runs npm ci) or npm ci there");
        }
        List<String> command = new ArrayList<>();
        command.add(node());
        command.add(DIR.resolve(script).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile());
        builder.environment().putAll(env);
        Path stderr = Files.createTempFile("node-", ".err");
        builder.redirectError(stderr.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " did not finish within 60 s");
        }
        String err = Files.readString(stderr);
        Files.deleteIfExists(stderr);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " failed (exit " + process.exitValue() + "):\n" + err + "\n" + out);
        }
        String[] lines = out.strip().split("\n");
        JsonNode result = LlmTestClient.parse(lines[lines.length - 1]);
        if (result == null) {
            throw new IllegalStateException(script + " printed no JSON result:\n" + out + "\n" + err);
        }
        return result;
    }

    private static String node() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(dir, "node");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        throw new IOException("node is not on the PATH: install Node.js 20+ to run the interop tests");
    }
}
