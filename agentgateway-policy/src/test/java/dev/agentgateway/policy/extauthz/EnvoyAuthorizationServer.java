package dev.agentgateway.policy.extauthz;

import com.google.rpc.Code;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.service.auth.v3.AuthorizationGrpc;
import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import io.envoyproxy.envoy.service.auth.v3.CheckResponse;
import io.envoyproxy.envoy.service.auth.v3.DeniedHttpResponse;
import io.envoyproxy.envoy.service.auth.v3.OkHttpResponse;
import io.envoyproxy.envoy.type.v3.HttpStatus;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A real {@code envoy.service.auth.v3.Authorization} server that decides by the request's path. */
final class EnvoyAuthorizationServer implements AutoCloseable {
    private final Server server;
    private final AtomicReference<CheckRequest> last;

    private EnvoyAuthorizationServer(Server server, AtomicReference<CheckRequest> last) {
        this.server = server;
        this.last = last;
    }

    /** Starts on {@code port} (0: any free one). */
    static EnvoyAuthorizationServer start(int port) throws IOException {
        AtomicReference<CheckRequest> last = new AtomicReference<>();
        Server server = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                .addService(new AuthorizationGrpc.AuthorizationImplBase() {
                    @Override
                    public void check(CheckRequest request, StreamObserver<CheckResponse> answer) {
                        last.set(request);
                        try {
                            decide(request.getAttributes().getRequest().getHttp().getPath(), answer);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            answer.onError(Status.CANCELLED.asException());
                        }
                    }
                })
                .build().start();
        return new EnvoyAuthorizationServer(server, last);
    }

    private static void decide(String path, StreamObserver<CheckResponse> answer) throws InterruptedException {
        if (path.endsWith("/unavailable")) {
            answer.onError(Status.UNAVAILABLE.withDescription("draining").asException());
            return;
        }
        if (path.endsWith("/slow")) {
            Thread.sleep(2000);
        }
        CheckResponse.Builder response = CheckResponse.newBuilder();
        if (path.endsWith("/forbidden")) {
            response.setStatus(com.google.rpc.Status.newBuilder().setCode(Code.PERMISSION_DENIED_VALUE))
                    .setDeniedResponse(DeniedHttpResponse.newBuilder().setBody("not your repository")
                            .setStatus(HttpStatus.newBuilder().setCodeValue(403)));
        } else if (path.endsWith("/login")) {
            response.setStatus(com.google.rpc.Status.newBuilder().setCode(Code.UNAUTHENTICATED_VALUE))
                    .setDeniedResponse(DeniedHttpResponse.newBuilder().addHeaders(header("WWW-Authenticate", "Bearer"))
                            .setStatus(HttpStatus.newBuilder().setCodeValue(401)));
        } else if (path.endsWith("/bare-denial")) { // no denied_response: Envoy answers 403
            response.setStatus(com.google.rpc.Status.newBuilder().setCode(Code.PERMISSION_DENIED_VALUE));
        } else {
            response.setStatus(com.google.rpc.Status.newBuilder().setCode(Code.OK_VALUE))
                    .setOkResponse(OkHttpResponse.newBuilder().addHeaders(header("x-user-id", "u-42")));
        }
        answer.onNext(response.build());
        answer.onCompleted();
    }

    private static HeaderValueOption header(String name, String value) {
        return HeaderValueOption.newBuilder().setHeader(HeaderValue.newBuilder().setKey(name).setValue(value)).build();
    }

    int port() {
        return server.getPort();
    }

    /** The last request the server was asked about, or {@code null}. */
    CheckRequest lastRequest() {
        return last.get();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
