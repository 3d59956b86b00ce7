package dev.agentgateway.benchmarks.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Time from sending a request to reading the first server-sent event, over a raw socket so that no
 * client library adds its own buffering; a new connection per sample, as an agent opening a stream.
 */
public final class FirstEventProbe {
    private FirstEventProbe() {
    }

    /** Sorted samples in microseconds. */
    static long[] measure(int port, int samples) throws IOException {
        byte[] request = ("GET /sse HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/event-stream\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        return measure(port, request, "data: first".getBytes(StandardCharsets.US_ASCII), samples, false);
    }

    /**
     * Sorted samples in microseconds: from writing {@code request} (a whole HTTP/1.1 request with
     * {@code Connection: close}) on a new connection to reading {@code marker}; with {@code drain}, the
     * rest of the response is read to its end before the next sample (the stream completes normally
     * instead of being cut by the client).
     */
    public static long[] measure(int port, byte[] request, byte[] marker, int samples, boolean drain) throws IOException {
        long[] micros = new long[samples];
        for (int i = 0; i < samples; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(5000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                long start = System.nanoTime();
                out.write(request);
                out.flush();
                byte[] buffer = new byte[8192];
                int filled = 0;
                while (indexOf(buffer, filled, marker) < 0) {
                    int n = in.read(buffer, filled, buffer.length - filled);
                    if (n < 0) {
                        throw new IOException("stream ended before the first event");
                    }
                    filled += n;
                }
                micros[i] = (System.nanoTime() - start) / 1000;
                if (drain) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
        Arrays.sort(micros);
        return micros;
    }

    private static int indexOf(byte[] data, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }
}
