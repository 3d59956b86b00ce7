package dev.agentgateway.benchmarks.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports for the servers a benchmark starts as processes (nginx, redis-server), which cannot be told port 0. */
public final class Ports {
    private Ports() {
    }

    /** A loopback port free right now (another process could take it before ours binds: rare, and loud). */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
