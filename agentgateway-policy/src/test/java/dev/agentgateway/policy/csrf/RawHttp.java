package dev.agentgateway.policy.csrf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for requests the JDK client refuses to send (a chosen {@code Host}). */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, lines without CRLF) with no body and returns the status. */
    static int status(int port, String... head) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((String.join("\r\n", head) + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                line.write(b);
            }
            String status = line.toString(StandardCharsets.ISO_8859_1); // "HTTP/1.1 403 Forbidden"
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
