package dev.agentgateway.llm.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import dev.agentgateway.test.llm.EventStreamFrames;
import org.junit.jupiter.api.Test;

/** The decoder reads the reference's eventstream vector, however the bytes are cut, and checks both CRCs. */
class EventStreamDecoderTest {
    /** A contentBlockDelta frame produced by @smithy/core's EventStreamCodec (reference llm.md 6.4). */
    static final byte[] VECTOR = HexFormat.of().parseHex(
            "0000009e00000057fe1b824f0b3a6576656e742d74797065070011636f6e74656e74426c6f636b44656c74610d3a636f6e74"
            + "656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b"
            + "22636f6e74656e74426c6f636b496e646578223a302c2264656c7461223a7b2274657874223a224869227d2c2270223a2261"
            + "6263227d9343f010");

    private final List<EventStreamMessage> messages = new ArrayList<>();
    private final EventStreamDecoder decoder = new EventStreamDecoder(messages::add);

    @Test
    void decodesTheReferenceFrame() {
        assertThat(VECTOR).hasSize(158);
        decoder.feed(ByteBuffer.wrap(VECTOR));
        assertThat(messages).hasSize(1);
        EventStreamMessage message = messages.get(0);
        assertThat(message.eventType()).isEqualTo("contentBlockDelta");
        assertThat(message.header(":content-type")).isEqualTo("application/json");
        assertThat(message.messageType()).isEqualTo("event");
        assertThat(message.payloadText()).isEqualTo("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"},\"p\":\"abc\"}");
        assertThat(decoder.hasPartialMessage()).isFalse();
    }

    @Test
    void framesCutAtEveryByteAndSeveralInOneReadAllDecode() {
        byte[] two = new byte[VECTOR.length * 2];
        System.arraycopy(VECTOR, 0, two, 0, VECTOR.length);
        System.arraycopy(VECTOR, 0, two, VECTOR.length, VECTOR.length);
        for (byte b : two) {
            decoder.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        decoder.feed(ByteBuffer.wrap(two));
        assertThat(messages).hasSize(4);
        assertThat(messages).allSatisfy(m -> assertThat(m.eventType()).isEqualTo("contentBlockDelta"));
    }

    @Test
    void theTestKitsEncoderProducesTheReferenceBytes() {
        byte[] encoded = EventStreamFrames.event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"},\"p\":\"abc\"}");
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(HexFormat.of().formatHex(VECTOR));
    }

    @Test
    void aCorruptPreludeIsRefused() {
        byte[] corrupt = VECTOR.clone();
        corrupt[9] ^= 1;
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(corrupt))).hasMessageContaining("prelude CRC");
    }

    @Test
    void aCorruptPayloadIsRefused() {
        byte[] corrupt = VECTOR.clone();
        corrupt[120] ^= 1;
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(corrupt))).hasMessageContaining("message CRC");
    }

    @Test
    void anImplausibleLengthIsRefused() {
        ByteBuffer frame = ByteBuffer.allocate(12);
        frame.putInt(8).putInt(0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(frame.array(), 0, 8);
        frame.putInt((int) crc.getValue());
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(frame.array()))).hasMessageContaining("implausible");
    }
}
