package dev.agentgateway.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class SealedTokensTest {
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void aTokenOpensWithTheSameKeyAndPurposeOnly() {
        SealedTokens tokens = new SealedTokens(KEY);
        String token = tokens.seal("session", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(new String(new SealedTokens(KEY.clone()).open("session", token), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(tokens.open("cursor", token)).as("another purpose").isNull();
        assertThat(new SealedTokens(null).open("session", token)).as("another key").isNull();
    }

    @Test
    void tamperedOrForeignTokensDoNotOpen() {
        SealedTokens tokens = new SealedTokens(KEY);
        String token = tokens.seal("session", "hello".getBytes(StandardCharsets.UTF_8));
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThat(tokens.open("session", tampered)).isNull();
        assertThat(tokens.open("session", "not a token at all, clearly")).isNull();
        assertThat(tokens.open("session", null)).isNull();
    }

    @Test
    void sealingTwiceGivesDifferentTokens() {
        SealedTokens tokens = new SealedTokens(KEY);
        byte[] same = "same".getBytes(StandardCharsets.UTF_8);
        assertThat(tokens.seal("session", same)).isNotEqualTo(tokens.seal("session", same));
    }
}
