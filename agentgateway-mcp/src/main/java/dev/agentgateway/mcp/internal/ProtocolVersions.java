package dev.agentgateway.mcp.internal;

import java.util.List;

/** The MCP protocol revisions the gateway speaks (legacy era, with {@code initialize}). */
public final class ProtocolVersions {
    public static final String V2024_11_05 = "2024-11-05";
    public static final String V2025_03_26 = "2025-03-26";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_11_25 = "2025-11-25";
    public static final String LATEST = V2025_11_25;
    /** Oldest first. */
    public static final List<String> SUPPORTED = List.of(V2024_11_05, V2025_03_26, V2025_06_18, V2025_11_25);

    private ProtocolVersions() {
    }

    public static boolean supported(String version) {
        return version != null && SUPPORTED.contains(version);
    }

    /** The version to answer a client that asked for {@code requested}: the same when supported, else the latest. */
    public static String negotiate(String requested) {
        return supported(requested) ? requested : LATEST;
    }

    /** Whether {@code version} is at least {@code minimum} (revisions are dates, so they sort as strings). */
    public static boolean atLeast(String version, String minimum) {
        return version != null && version.compareTo(minimum) >= 0;
    }
}
