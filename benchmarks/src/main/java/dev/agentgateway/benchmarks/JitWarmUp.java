package dev.agentgateway.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warms a path up until this JVM's JIT compilers have settled, rather than for a fixed time: on two
 * cores a C2 compiler thread busy with the gateway's code takes CPU from the path being measured. Seen
 * on the modern MCP path: at 700 calls/s C2 was still compiling 40 s in, and a run measured then
 * showed the gateway at 0.74 of the direct path and 0.85 ms of CPU per call, against 1.0 and 0.31 ms
 * once compilation had settled.
 */
public final class JitWarmUp {
    /** One slice of load on the path, e.g. a wrk run of a few seconds. */
    @FunctionalInterface
    public interface Slice {
        void run() throws Exception;
    }

    private JitWarmUp() {
    }

    /**
     * Runs {@code slice} until one run spends less than {@code settledMillis} of compile time, or
     * {@code maxSlices} runs; prints how long it took. Returns the runs made.
     */
    public static int untilSettled(String label, Slice slice, long settledMillis, int maxSlices) throws Exception {
        CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        for (int i = 1; i <= maxSlices; i++) {
            long before = compiler.getTotalCompilationTime();
            slice.run();
            long spent = compiler.getTotalCompilationTime() - before;
            if (spent < settledMillis) {
                System.out.printf("warm-up of %s: %d runs, %.0f s, until a run's JIT compile time was %d ms%n", label, i,
                        (System.nanoTime() - start) / 1e9, spent);
                return i;
            }
        }
        System.out.printf("warm-up of %s: JIT still compiling after %d runs (%.0f s)%n", label, maxSlices,
                (System.nanoTime() - start) / 1e9);
        return maxSlices;
    }
}
