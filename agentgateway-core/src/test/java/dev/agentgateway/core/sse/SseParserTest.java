package dev.agentgateway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseParserTest {
    private final List<SseEvent> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private final SseParser parser = new SseParser(events::add, comments::add, 1 << 20);

    @Test
    void parsesFieldsAndMultiLineData() {
        parser.feed("id: 7\nevent: update\nretry: 1500\ndata: first\ndata: second\n\n");
        assertThat(events).containsExactly(new SseEvent("7", "update", "first\nsecond", 1500));
    }

    @Test
    void acceptsEveryLineEnding() {
        parser.feed("data: a\r\n\r\ndata: b\r\rdata: c\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("a", "b", "c");
    }

    @Test
    void handlesChunksCutAnywhereIncludingInsideUtf8AndCrLf() {
        byte[] bytes = "data: héllo ✓\r\n\r\ndata: two\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            parser.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        assertThat(events).extracting(SseEvent::data).containsExactly("héllo ✓", "two");
    }

    @Test
    void reportsCommentsAndIgnoresUnknownFields() {
        parser.feed(": keep-alive\nfoo: bar\ndata:no-space\n\n");
        assertThat(comments).containsExactly(" keep-alive");
        assertThat(events).containsExactly(new SseEvent(null, null, "no-space", -1));
    }

    @Test
    void stripsALeadingByteOrderMark() {
        parser.feed("\uFEFFdata: x\n\n");
        assertThat(events).extracting(SseEvent::data).containsExactly("x");
    }

    @Test
    void anEventWithoutDataButWithAnIdIsStillDispatched() {
        parser.feed("id: 3\n\n\n\n");
        assertThat(events).containsExactly(new SseEvent("3", null, null, -1));
    }

    @Test
    void aPendingEventIsVisible() {
        parser.feed("data: partial");
        assertThat(events).isEmpty();
        assertThat(parser.hasPartialEvent()).isTrue();
    }

    @Test
    void formatRoundTrips() {
        SseEvent event = new SseEvent("9", "message", "line one\nline two", 10);
        parser.feed(event.format());
        assertThat(events).containsExactly(event);
    }

    @Test
    void oversizedEventsFail() {
        SseParser small = new SseParser(events::add, comments::add, 8);
        assertThatThrownBy(() -> small.feed("data: 0123456789\n\n")).hasMessageContaining("larger than 8 bytes");
    }
}
