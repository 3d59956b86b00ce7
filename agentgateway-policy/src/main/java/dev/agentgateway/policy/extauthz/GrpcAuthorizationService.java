package dev.agentgateway.policy.extauthz;

import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.service.auth.v3.AttributeContext;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Envoy's gRPC ext_authz contract, {@code envoy.service.auth.v3.Authorization/Check}: an {@code OK}
 * status allows, any other status in the answer denies, and a failed call is a failure.
 */
final class GrpcAuthorizationService implements AuthorizationService {
    /** Headers of a denied_response that describe its body, which the gateway does not pass on. */
    private static final Set<String> BODY_HEADERS = Set.of("content-length", "content-type", "transfer-encoding");

    /** How long a check waits for a reconnection after the service was lost. */
    private static final Duration RECONNECT_WAIT = Duration.ofMillis(100);

    private final Duration timeout;
    private final ManagedChannel channel;
    private final AuthorizationGrpc.AuthorizationBlockingStub stub;

    GrpcAuthorizationService(URI service, Duration timeout, GatewayContext gateway) {
        boolean tls = service.getScheme().equalsIgnoreCase("https");
        int port = service.getPort() > 0 ? service.getPort() : tls ? 443 : 80;
        ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
        this.timeout = timeout;
        this.channel = Grpc.newChannelBuilderForAddress(service.getHost(), port, credentials)
                .executor(gateway.executor())
                .build();
        this.stub = AuthorizationGrpc.newBlockingStub(channel);
        channel.getState(true); // connect now: the first check should not pay for name resolution and the handshake
    }

    @Override
    public Verdict check(Exchange exchange, CheckFacts facts) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos(); // the whole check, waiting to connect included
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            // grpc-java would wait out a growing backoff (up to two minutes) before it tries again, failing
            // checks at once meanwhile; a restarted service should be used at once, so try now and give the
            // attempt a moment (the channel stays in TRANSIENT_FAILURE until it is READY, so a service still
            // down costs this check that moment, never more)
            CountDownLatch ready = new CountDownLatch(1);
            channel.notifyWhenStateChanged(ConnectivityState.TRANSIENT_FAILURE, ready::countDown);
            channel.resetConnectBackoff();
            ready.await(Math.min(timeout.toNanos(), RECONNECT_WAIT.toNanos()), TimeUnit.NANOSECONDS);
        }
        CheckResponse answer = stub.withDeadlineAfter(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)
                .check(request(exchange, facts));
        if (answer.getStatus().getCode() == com.google.rpc.Code.OK_VALUE) {
            Map<String, String> added = new LinkedHashMap<>();
            for (HeaderValueOption option : answer.getOkResponse().getHeadersList()) {
                added.put(option.getHeader().getKey(), option.getHeader().getValue());
            }
            return Verdict.allow(added);
        }
        DeniedHttpResponse denied = answer.getDeniedResponse();
        Map<String, String> clientHeaders = new LinkedHashMap<>();
        for (HeaderValueOption option : denied.getHeadersList()) {
            if (!BODY_HEADERS.contains(option.getHeader().getKey().toLowerCase(Locale.ROOT))) {
                clientHeaders.put(option.getHeader().getKey(), option.getHeader().getValue());
            }
        }
        String body = denied.getBody().strip();
        return Verdict.deny(denied.getStatus().getCodeValue(),
                body.isEmpty() || body.length() > Verdict.MAX_MESSAGE ? ExtAuthz.DENIED_MESSAGE : body, clientHeaders);
    }

    private static CheckRequest request(Exchange exchange, CheckFacts facts) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":method", exchange.method());
        headers.put(":path", HttpAuthorizationService.path(exchange));
        headers.put(":authority", exchange.authority());
        facts.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        AttributeContext.HttpRequest http = AttributeContext.HttpRequest.newBuilder()
                .setId(exchange.id())
                .setMethod(exchange.method())
                .setPath(HttpAuthorizationService.path(exchange))
                .setHost(exchange.authority())
                .setScheme(exchange.scheme())
                .setProtocol(exchange.protocol())
                .putAllHeaders(headers)
                .build();
        return CheckRequest.newBuilder().setAttributes(AttributeContext.newBuilder()
                .setSource(peer(exchange.remoteAddress()))
                .setDestination(peer(exchange.localAddress()))
                .setRequest(AttributeContext.Request.newBuilder().setHttp(http))
                .putAllContextExtensions(facts.extensions()))
                .build();
    }

    private static AttributeContext.Peer peer(InetSocketAddress address) {
        return AttributeContext.Peer.newBuilder().setAddress(Address.newBuilder().setSocketAddress(
                SocketAddress.newBuilder().setAddress(CheckFacts.host(address))
                        .setPortValue(address.getPort()))).build();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
