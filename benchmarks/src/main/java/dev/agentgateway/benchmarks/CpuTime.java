package dev.agentgateway.benchmarks;

import java.time.Duration;

/**
 * CPU time used by processes (user + system, from the OS), to compare the CPU a request costs on each
 * path: on two shared cores the load generator competes with whatever it measures, so requests per
 * second alone understate the cheaper path; CPU per request does not depend on who else was busy.
 */
public final class CpuTime {
    private CpuTime() {
    }

    /** This JVM's CPU time so far. */
    public static Duration ofThisProcess() {
        return of(ProcessHandle.current());
    }

    /** The CPU time of a process and all its descendants that are alive (nginx: master and workers). */
    public static Duration ofTree(ProcessHandle root) {
        Duration total = of(root);
        for (ProcessHandle child : root.descendants().toList()) {
            total = total.plus(of(child));
        }
        return total;
    }

    /** One process's CPU time so far. */
    public static Duration of(ProcessHandle process) {
        return process.info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid() + " on this OS"));
    }

    /** Microseconds per request of {@code used} CPU over {@code requests}. */
    public static double microsPerRequest(Duration used, double requests) {
        return used.toNanos() / 1000.0 / requests;
    }
}
