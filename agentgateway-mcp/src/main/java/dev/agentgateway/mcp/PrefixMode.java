package dev.agentgateway.mcp;

/**
 * Whether tool and prompt names ({@code target_name}) and resource URIs ({@code target+uri}) carry the
 * name of the target that serves them.
 */
public enum PrefixMode {
    /** Prefix only when the backend has more than one target (the default). */
    CONDITIONAL,
    /** Always prefix, even with a single target. */
    ALWAYS,
    /**
     * Never prefix; the owner of a name is found by listing every target, and names offered by more than
     * one target are ambiguous and dropped (with a warning in the log).
     */
    NEVER
}
