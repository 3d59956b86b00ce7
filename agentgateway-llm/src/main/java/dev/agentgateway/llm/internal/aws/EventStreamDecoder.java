package dev.agentgateway.llm.internal.aws;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * An incremental decoder of the AWS eventstream binary framing ({@code application/vnd.amazon.eventstream},
 * reference 6.4): feed bytes as they arrive, cut anywhere; each complete message is handed over at once.
 * Both CRCs are checked; a corrupt or implausible frame fails with {@link IllegalStateException}, since
 * nothing after it can be trusted. Not thread-safe: one decoder per stream.
 */
public final class EventStreamDecoder {
    /** Frames larger than this are refused (AWS limits messages to 16 MiB). */
    public static final int MAX_MESSAGE = 16 * 1024 * 1024 + 1024;
    private static final int PRELUDE = 12;

    private final Consumer<EventStreamMessage> messages;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(1024);

    public EventStreamDecoder(Consumer<EventStreamMessage> messages) {
        this.messages = messages;
    }

    /** Consumes the bytes of {@code buffer}. */
    public void feed(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        pending.write(bytes, 0, bytes.length);
        drain();
    }

    /** Whether a partial frame is waiting for more bytes (the stream was cut when called at the end). */
    public boolean hasPartialMessage() {
        return pending.size() > 0;
    }

    private void drain() {
        byte[] all = pending.toByteArray();
        int offset = 0;
        while (all.length - offset >= PRELUDE) {
            ByteBuffer frame = ByteBuffer.wrap(all, offset, all.length - offset);
            long total = Integer.toUnsignedLong(frame.getInt(offset));
            long headersLength = Integer.toUnsignedLong(frame.getInt(offset + 4));
            long preludeCrc = Integer.toUnsignedLong(frame.getInt(offset + 8));
            if (crc(all, offset, 8) != preludeCrc) {
                throw new IllegalStateException("eventstream prelude CRC mismatch");
            }
            if (total < 16 || total > MAX_MESSAGE || headersLength > total - 16) {
                throw new IllegalStateException("eventstream frame of implausible size: total " + total + ", headers " + headersLength);
            }
            if (all.length - offset < total) {
                break;
            }
            int end = offset + (int) total;
            long messageCrc = Integer.toUnsignedLong(ByteBuffer.wrap(all).getInt(end - 4));
            if (crc(all, offset, (int) total - 4) != messageCrc) {
                throw new IllegalStateException("eventstream message CRC mismatch");
            }
            int headersStart = offset + PRELUDE;
            int payloadStart = headersStart + (int) headersLength;
            Map<String, Object> headers = headers(ByteBuffer.wrap(all, headersStart, (int) headersLength).slice());
            byte[] payload = new byte[end - 4 - payloadStart];
            System.arraycopy(all, payloadStart, payload, 0, payload.length);
            offset = end;
            messages.accept(new EventStreamMessage(headers, payload));
        }
        pending.reset();
        pending.write(all, offset, all.length - offset);
    }

    private static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static Map<String, Object> headers(ByteBuffer in) {
        Map<String, Object> headers = new LinkedHashMap<>();
        while (in.hasRemaining()) {
            int nameLength = Byte.toUnsignedInt(in.get());
            byte[] name = new byte[nameLength];
            in.get(name);
            int type = Byte.toUnsignedInt(in.get());
            Object value = switch (type) {
                case 0 -> Boolean.TRUE;
                case 1 -> Boolean.FALSE;
                case 2 -> in.get();
                case 3 -> in.getShort();
                case 4 -> in.getInt();
                case 5 -> in.getLong();
                case 6 -> {
                    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
                    in.get(bytes);
                    yield bytes;
                }
                case 7 -> {
                    byte[] bytes = new byte[Short.toUnsignedInt(in.getShort())];
                    in.get(bytes);
                    yield new String(bytes, StandardCharsets.UTF_8);
                }
                case 8 -> Instant.ofEpochMilli(in.getLong());
                case 9 -> new UUID(in.getLong(), in.getLong());
                default -> throw new IllegalStateException("eventstream header of unknown type " + type);
            };
            headers.put(new String(name, StandardCharsets.UTF_8), value);
        }
        return headers;
    }
}
