package dev.agentgateway.mcp.internal;

import java.util.List;

/**
 * The MCP protocol revisions the gateway speaks: the legacy era (a session begun with {@code initialize})
 * and the modern era (stateless, the version in every request's {@code _meta}).
 */
public final class ProtocolVersions {
    public static final String V2024_11_05 = "2024-11-05";
    public static final String V2025_03_26 = "2025-03-26";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_11_25 = "2025-11-25";
    public static final String LATEST = V2025_11_25;
    public static final String V2026_07_28 = "2026-07-28";
    /** Legacy revisions, oldest first. */
    public static final List<String> SUPPORTED = List.of(V2024_11_05, V2025_03_26, V2025_06_18, V2025_11_25);
    /** Modern revisions, oldest first. */
    public static final List<String> MODERN = List.of(V2026_07_28);
    /** Every revision the downstream face speaks, newest first: what {@code server/discover} and {@code -32022} name. */
    public static final List<String> ALL_NEWEST_FIRST = List.of(V2026_07_28, V2025_11_25, V2025_06_18, V2025_03_26, V2024_11_05);

    private ProtocolVersions() {
    }

    public static boolean supported(String version) {
        return version != null && SUPPORTED.contains(version);
    }

    /** Whether {@code version} is a modern revision the gateway speaks. */
    public static boolean modern(String version) {
        return version != null && MODERN.contains(version);
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
