package dev.agentgateway.policy.upstream;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * mock-oauth2-server in process on the loopback interface, for one test class: each test sees only
 * the requests it caused, and the server stops after the class.
 */
final class LoopbackIdp implements BeforeEachCallback, AfterAllCallback {
    private final MockOAuth2Server server = start();

    /** A started server; the caller shuts it down. */
    static MockOAuth2Server start() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    MockOAuth2Server server() {
        return server;
    }

    /** The requests the server received since the last call (or the start of the test). */
    List<RecordedRequest> requests() {
        return requests(server);
    }

    static List<RecordedRequest> requests(MockOAuth2Server server) {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            try {
                requests.add(server.takeRequest(50, MILLISECONDS));
            } catch (RuntimeException none) { // "no request found in queue within timeout"
                return requests;
            }
        }
    }

    /** The form a request sent, URL-decoded. */
    static String form(RecordedRequest request) {
        return URLDecoder.decode(request.getBody().readUtf8(), StandardCharsets.UTF_8);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        requests();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.shutdown();
    }
}
