package dev.agentgateway.test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;

/**
 * The answer a {@link FakeHandler} writes. Every {@link #write} is sent at once (no buffering), so
 * tests control exactly when bytes leave the upstream.
 */
public final class FakeResponse {
    private final Request request;
    private final Response response;
    private boolean aborted;

    FakeResponse(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    public FakeResponse status(int status) {
        response.setStatus(status);
        return this;
    }

    /** Adds a header; only before the first write. */
    public FakeResponse header(String name, String value) {
        response.getHeaders().add(name, value);
        return this;
    }

    /** Sends bytes now. Throws {@link IOException} when the peer has gone away. */
    public FakeResponse write(byte[] bytes) throws IOException {
        try (Blocker.Callback callback = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(bytes), callback);
            callback.block();
        }
        return this;
    }

    /** Sends UTF-8 text now. */
    public FakeResponse write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Closes the TCP connection at once, without completing the response: a crashed upstream. */
    public void abortConnection() {
        aborted = true;
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint.close();
    }

    boolean aborted() {
        return aborted;
    }

    Response jetty() {
        return response;
    }
}
