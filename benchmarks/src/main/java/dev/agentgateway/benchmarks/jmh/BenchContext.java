package dev.agentgateway.benchmarks.jmh;

import dev.agentgateway.core.GatewayContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Proxy;

/**
 * Just enough of a gateway for a policy to {@code bind} outside a server: its name and a meter registry.
 * Everything else is refused loudly, so a benchmark that needs more says so instead of measuring a stub.
 */
public final class BenchContext {
    private BenchContext() {
    }

    /** A gateway named {@code bench} whose meters go to {@code registry}. */
    public static GatewayContext of(MeterRegistry registry) {
        return (GatewayContext) Proxy.newProxyInstance(GatewayContext.class.getClassLoader(), new Class<?>[] {GatewayContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "meterRegistry" -> registry;
                    case "name" -> "bench";
                    case "toString" -> "BenchContext";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + " is not part of the benchmark's context");
                });
    }
}
