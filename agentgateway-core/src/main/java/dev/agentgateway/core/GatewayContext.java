package dev.agentgateway.core;

import java.net.URI;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.eclipse.jetty.client.HttpClient;

/**
 * What a gateway offers the backends and policies it binds: its HTTP client for upstream calls, its
 * executor and scheduler, and its meter and observation registries. Everything here belongs to one
 * gateway and is stopped with it.
 */
public interface GatewayContext {

    /** The gateway's name, used in logs and as the {@code gateway} tag of its meters. */
    String name();

    /** The address clients reach the gateway at, such as {@code http://127.0.0.1:8080/}. Known once started. */
    URI uri();

    /**
     * A shared client for upstream calls (redirects not followed, no automatic decompression). Like
     * every client the gateway makes, it calls response listeners on its I/O thread: a listener must
     * only hand over (complete a future, wake a reader, start an asynchronous write), never block.
     * Blocking reads belong to the caller's thread, as with {@code InputStreamResponseListener},
     * {@code Request.send()} or reading a response {@code Content.Source} with demand.
     */
    HttpClient httpClient();

    /**
     * A new client with its own connection pool and limits, sharing the gateway's threads and buffers;
     * it is started now and stopped with the gateway. Its listeners must not block (see {@link #httpClient()}).
     */
    HttpClient newHttpClient(UpstreamOptions options);

    /** Runs tasks on virtual threads (or the gateway's pool when virtual threads are off). */
    Executor executor();

    /** For timers: idle-session sweeps, health cool-downs, retries with backoff. */
    ScheduledExecutorService scheduler();

    /** Where meters are registered. */
    MeterRegistry meterRegistry();

    /** Whether forwarding headers sent by clients are believed (the gateway sits behind a load balancer). */
    boolean trustForwardedHeaders();

    /** Where observations (spans) are reported; {@link ObservationRegistry#NOOP} by default. */
    ObservationRegistry observationRegistry();

    /**
     * Says that authorization decisions may have changed, for example because a policy set was
     * reloaded: what was decided earlier and is kept (an MCP session's lists, whose list-changed
     * notifications follow each caller's view) is decided again. Listeners run on the
     * {@link #executor()}; this returns at once.
     */
    void authorizationChanged();

    /**
     * Runs {@code listener} after each {@link #authorizationChanged()}, until the returned handle is
     * closed (or the gateway stops).
     *
     * <pre>{@code
     * AutoCloseable subscription = gateway.onAuthorizationChanged(sessions::reviewViews);
     * }</pre>
     */
    AutoCloseable onAuthorizationChanged(Runnable listener);
}
