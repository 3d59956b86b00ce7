package dev.agentgateway.test.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.agentgateway.core.GatewayException;
import dev.agentgateway.core.HttpBackend;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A policy that refuses a request without reading its body: what has arrived is discarded and the
 * connection stays usable; if the body is still coming, the answer says {@code Connection: close}, so
 * that the client does not send its next request on a connection the server is closing.
 */
class UnreadBodyTest {
    @RegisterExtension
    static final FakeUpstream upstream = FakeUpstream.of(Fakes.echo());

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g.route(Route.builder("refused").pathPrefix("/refused")
            .policy((Policy) (exchange, next) -> exchange.errorResponse(GatewayException.forbidden("no")))
            .backend(HttpBackend.of(upstream.url()))));

    @Test
    void aBodyThatHasArrivedIsDiscardedAndTheConnectionKept() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String request = "POST /refused/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}";
            out.write((request + request).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answers = readAll(socket.getInputStream(), 2);
            assertThat(answers.split("HTTP/1.1 403", -1)).as(answers).hasSize(3); // two answers on one connection
            assertThat(answers.toLowerCase()).doesNotContain("connection: close");
        }
    }

    @Test
    void aBodyStillComingClosesTheConnectionAndTheAnswerSaysSo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("POST /refused/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n{\"a\":".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readAll(socket.getInputStream(), 1);
            assertThat(answer).startsWith("HTTP/1.1 403");
            assertThat(answer.toLowerCase()).contains("connection: close");
        }
    }

    /** Reads until {@code answers} complete answers (with Content-Length bodies) or the end of the stream. */
    private static String readAll(InputStream in, int answers) throws Exception {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        int complete = 0;
        while (complete < answers) {
            int n;
            try {
                n = in.read(buffer);
            } catch (java.net.SocketException e) {
                break; // closed by the server
            }
            if (n < 0) {
                break;
            }
            text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            complete = completeAnswers(text.toString());
        }
        return text.toString();
    }

    private static int completeAnswers(String text) {
        int count = 0;
        int at = 0;
        while (true) {
            int head = text.indexOf("\r\n\r\n", at);
            if (head < 0) {
                return count;
            }
            String headers = text.substring(at, head).toLowerCase();
            int length = 0;
            int cl = headers.indexOf("content-length:");
            if (cl >= 0) {
                length = Integer.parseInt(headers.substring(cl + 15, headers.indexOf('\n', cl) < 0 ? headers.length()
                        : headers.indexOf('\n', cl)).trim());
            }
            if (text.length() < head + 4 + length) {
                return count;
            }
            count++;
            at = head + 4 + length;
        }
    }
}
