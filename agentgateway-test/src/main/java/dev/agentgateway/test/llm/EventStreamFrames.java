package dev.agentgateway.test.llm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Encodes AWS eventstream frames ({@code application/vnd.amazon.eventstream}): prelude with total and
 * header lengths and their CRC32, string headers, payload, and the CRC32 of the whole message.
 */
public final class EventStreamFrames {
    private EventStreamFrames() {
    }

    /** One frame with string headers (type 7) in the given order. */
    public static byte[] encode(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream headerBytes = new ByteArrayOutputStream();
        headers.forEach((name, value) -> {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            headerBytes.write(n.length);
            headerBytes.writeBytes(n);
            headerBytes.write(7);
            headerBytes.write((v.length >> 8) & 0xFF);
            headerBytes.write(v.length & 0xFF);
            headerBytes.writeBytes(v);
        });
        byte[] h = headerBytes.toByteArray();
        int total = 12 + h.length + payload.length + 4;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total);
        frame.putInt(h.length);
        frame.putInt((int) crc(frame.array(), 0, 8));
        frame.put(h);
        frame.put(payload);
        frame.putInt((int) crc(frame.array(), 0, total - 4));
        return frame.array();
    }

    /** An event frame: {@code :event-type}, {@code :content-type: application/json}, {@code :message-type: event}. */
    public static byte[] event(String eventType, String json) {
        java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(":event-type", eventType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "event");
        return encode(headers, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An exception frame such as {@code throttlingException}. */
    public static byte[] exception(String exceptionType, String message) {
        java.util.LinkedHashMap<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put(":exception-type", exceptionType);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", "exception");
        return encode(headers, ("{\"message\":\"" + message.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
