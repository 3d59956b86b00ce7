package dev.agentgateway.test;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Consumer;

import dev.agentgateway.core.Gateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a {@link Gateway} around JUnit 5 tests, on an ephemeral port with its own meter registry.
 * In a {@code static} field one gateway serves the whole class; in an instance field each test gets
 * a fresh one.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FakeUpstream upstream = FakeUpstream.builder().handler("/", Fakes.echo()).build();
 *
 * @RegisterExtension
 * static final GatewayExtension gateway = GatewayExtension.builder()
 *         .configure(g -> g.route(Route.builder("api").pathPrefix("/").backend(HttpBackend.of(upstream.url()))))
 *         .build();
 *
 * @Test
 * void proxies() throws Exception {
 *     var response = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/hello")).build(), ofString());
 *     assertThat(response.statusCode()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <p>The configuration runs when the gateway starts, so it can use the address of a
 * {@link FakeUpstream} registered in an earlier field.
 */
public final class GatewayExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Consumer<Gateway.Builder> configuration;
    private final boolean accessLog;
    private Gateway gateway;
    private MeterRegistry meterRegistry;
    private HttpClient httpClient;
    private boolean perClass;

    private GatewayExtension(Builder builder) {
        this.configuration = builder.configuration;
        this.accessLog = builder.accessLog;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A gateway configured by {@code configuration}. */
    public static GatewayExtension of(Consumer<Gateway.Builder> configuration) {
        return builder().configure(configuration).build();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    /** Starts the gateway now (the extension does this before tests; call it when using the class without JUnit). */
    public void start() {
        meterRegistry = new SimpleMeterRegistry();
        Gateway.Builder builder = Gateway.builder().port(0).meterRegistry(meterRegistry).accessLog(accessLog)
                .shutdownGracePeriod(Duration.ofSeconds(2));
        configuration.accept(builder);
        gateway = builder.start();
    }

    /** Stops the gateway (the extension does this after tests). */
    public void stop() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
        if (httpClient != null) {
            httpClient.close();
            httpClient = null;
        }
    }

    /** The running gateway. */
    public Gateway gateway() {
        if (gateway == null) {
            throw new IllegalStateException("the gateway is not running (is the extension registered with @RegisterExtension?)");
        }
        return gateway;
    }

    /** The gateway's base URI. */
    public URI uri() {
        return gateway().uri();
    }

    /** The gateway's URI for a path (and query) such as {@code "/v1/models?x=1"}. */
    public URI uri(String pathAndQuery) {
        requireNonNull(pathAndQuery, "pathAndQuery");
        return gateway().uri().resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
    }

    /** The gateway's port. */
    public int port() {
        return gateway().port();
    }

    /** The registry the gateway's meters go to (a fresh one per gateway). */
    public MeterRegistry meterRegistry() {
        if (meterRegistry == null) {
            throw new IllegalStateException("the gateway has not been started");
        }
        return meterRegistry;
    }

    /** A JDK HTTP client for calling the gateway (HTTP/1.1, no redirects followed); closed with the gateway. */
    public HttpClient httpClient() {
        if (httpClient == null) {
            httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        }
        return httpClient;
    }

    /** Builds a {@link GatewayExtension}. */
    public static final class Builder {
        private Consumer<Gateway.Builder> configuration = builder -> { };
        private boolean accessLog = true;

        private Builder() {
        }

        /** Configures the gateway (routes, policies...); runs each time a gateway starts. Port and meter registry are preset. */
        public Builder configure(Consumer<Gateway.Builder> configuration) {
            this.configuration = requireNonNull(configuration, "configuration");
            return this;
        }

        /** Whether the gateway writes access-log lines (default true). */
        public Builder accessLog(boolean enabled) {
            this.accessLog = enabled;
            return this;
        }

        public GatewayExtension build() {
            return new GatewayExtension(this);
        }
    }
}
