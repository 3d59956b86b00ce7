package dev.agentgateway.mcp;

/** What a request that fans out to every target (initialize, lists) does when some targets fail. */
public enum FailureMode {
    /** Any failing target fails the request (the default). */
    FAIL_CLOSED,
    /** Failing targets are skipped (logged and counted); the request fails only if every target fails. */
    FAIL_OPEN
}
