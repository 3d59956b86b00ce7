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
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Envoy's gRPC ext_authz contract, {@code envoy.service.auth.v3.Authorization/Check}: an {@code OK}
 * status allows, any other status in the answer denies, and a failed call is a failure.
 */
final class GrpcAuthorizationService implements AuthorizationService {
    /** Headers of a denied_response that describe its body, which the gateway does not pass on. */
    private static final Set<String> BODY_HEADERS = Set.of("content-length", "content-type", "transfer-encoding");
    private static final long RECONNECT_INTERVAL = TimeUnit.SECONDS.toNanos(1);

    private final Duration timeout;
    private final ManagedChannel channel;
    private final AuthorizationGrpc.AuthorizationBlockingStub stub;
    private final AtomicLong lastReconnect = new AtomicLong(System.nanoTime() - RECONNECT_INTERVAL);

    GrpcAuthorizationService(URI service, Duration timeout, GatewayContext gateway) {
        boolean tls = service.getScheme().equalsIgnoreCase("https");
        int port = service.getPort() > 0 ? service.getPort() : tls ? 443 : 80;
        ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
        this.timeout = timeout;
        this.channel = Grpc.newChannelBuilderForAddress(service.getHost(), port, credentials)
                .executor(gateway.executor())
                .build();
        this.stub = AuthorizationGrpc.newBlockingStub(channel);
    }

    @Override
    public Verdict check(Exchange exchange, CheckFacts facts) {
        CheckResponse answer;
        try {
            answer = stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS).check(request(exchange, facts));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                reconnectSoon();
            }
            throw e;
        }
        if (answer.getStatus().getCode() == Status.Code.OK.value()) {
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

    /**
     * After the service was down, grpc-java waits with growing backoff (up to two minutes) before it
     * tries again; a restarted service should be used at once, so the wait is cut, at most once a second.
     */
    private void reconnectSoon() {
        long now = System.nanoTime();
        long last = lastReconnect.get();
        if (now - last >= RECONNECT_INTERVAL && lastReconnect.compareAndSet(last, now)) {
            channel.resetConnectBackoff();
        }
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
