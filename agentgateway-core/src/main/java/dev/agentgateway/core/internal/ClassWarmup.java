package dev.agentgateway.core.internal;

import java.util.List;

/**
 * Loads and initializes, on a second thread, classes that starting the gateway and serving its first
 * request will need, while the starting thread builds the server: class loading is most of a cold
 * start, and on a machine with two cores half of it can overlap. Names that do not resolve (another
 * Jetty version) are skipped: this only changes how fast, never what.
 */
final class ClassWarmup {
    private static final List<String> ROOTS = List.of(
            "org.eclipse.jetty.server.Server",
            "org.eclipse.jetty.server.ServerConnector",
            "org.eclipse.jetty.server.HttpConfiguration",
            "org.eclipse.jetty.server.internal.HttpConnection",
            "org.eclipse.jetty.server.internal.HttpChannelState",
            "org.eclipse.jetty.server.handler.GracefulHandler",
            "org.eclipse.jetty.http.MimeTypes",
            "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.http.HttpGenerator",
            "org.eclipse.jetty.http.HttpURI",
            "org.eclipse.jetty.http.DateGenerator",
            "org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory",
            "org.eclipse.jetty.http2.hpack.HpackContext",
            "org.eclipse.jetty.io.ManagedSelector",
            "org.eclipse.jetty.io.SocketChannelEndPoint",
            "org.eclipse.jetty.util.thread.AdaptiveExecutionStrategy",
            "io.micrometer.core.instrument.Timer",
            "io.micrometer.core.instrument.LongTaskTimer",
            "io.micrometer.core.instrument.internal.DefaultLongTaskTimer",
            "dev.agentgateway.core.internal.GatewayHandler",
            "dev.agentgateway.core.internal.JettyExchange",
            "dev.agentgateway.core.internal.AsyncSender",
            "dev.agentgateway.core.internal.ResponseSender");

    private ClassWarmup() {
    }

    static void start() {
        Thread thread = new Thread(ClassWarmup::load, "agentgateway-class-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private static void load() {
        ClassLoader loader = ClassWarmup.class.getClassLoader();
        for (String name : ROOTS) {
            try {
                Class.forName(name, true, loader);
            } catch (ClassNotFoundException | LinkageError ignored) {
                // Only a head start is lost.
            }
        }
    }
}
