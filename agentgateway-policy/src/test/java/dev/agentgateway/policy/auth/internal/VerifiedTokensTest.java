package dev.agentgateway.policy.auth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Principal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    static final Principal ALICE = new Principal("alice", "jwt", Set.of(), Map.of());

    @Test
    void aTokenIsRememberedUntilItsExpiryOrTheMaximumAge() {
        VerifiedTokens tokens = new VerifiedTokens(10, 1_000);
        tokens.remember("a.b.c", ALICE, 500, 0);
        assertThat(tokens.lookup("a.b.c", 499)).isEqualTo(ALICE);
        assertThat(tokens.lookup("a.b.c", 500)).isNull();
        assertThat(tokens.size()).isZero();

        tokens.remember("d.e.f", ALICE, 10_000, 0);
        assertThat(tokens.lookup("d.e.f", 999)).isEqualTo(ALICE);
        assertThat(tokens.lookup("d.e.f", 1_000)).as("max age ends it before exp").isNull();
    }

    @Test
    void onlyTheExactTokenHits() {
        VerifiedTokens tokens = new VerifiedTokens(10, 1_000);
        tokens.remember("a.b.c", ALICE, 500, 0);
        assertThat(tokens.lookup("a.b.d", 1)).isNull();
        assertThat(tokens.lookup("a.b.c ", 1)).isNull();
    }

    @Test
    void sizeIsBounded() {
        VerifiedTokens tokens = new VerifiedTokens(100, 60_000);
        for (int i = 0; i < 1_000; i++) {
            tokens.remember("t" + i, ALICE, 60_000, 0);
            assertThat(tokens.size()).isLessThanOrEqualTo(100);
        }
        assertThat(tokens.lookup("t999", 1)).isEqualTo(ALICE);
    }

    @Test
    void zeroTurnsItOff() {
        VerifiedTokens tokens = new VerifiedTokens(0, 60_000);
        tokens.remember("a.b.c", ALICE, 60_000, 0);
        assertThat(tokens.lookup("a.b.c", 1)).isNull();
    }
}
