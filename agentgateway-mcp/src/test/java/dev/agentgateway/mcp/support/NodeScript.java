package dev.agentgateway.mcp.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Runs a node script from {@code src/test/js} and returns the JSON line it prints last. */
public final class NodeScript {
    private NodeScript() {
    }

    public static JsonNode run(String script, long timeoutSeconds, String... args) throws InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(NodePeers.node());
        command.add(NodePeers.jsDir().resolve(script).toString());
        command.addAll(List.of(args));
        try (NodeProcess process = NodeProcess.start(command, Map.of(), NodePeers.jsDir(), script)) {
            int exit = process.await(timeoutSeconds);
            String output = process.output();
            String[] lines = output.strip().split("\n");
            String last = lines[lines.length - 1];
            if (exit != 0 || !last.startsWith("{")) {
                throw new IllegalStateException(script + " exited with " + exit + " without a JSON result:\n" + output);
            }
            return RawMcpClient.parse(last);
        }
    }
}
