package dev.agentgateway.a2a.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.agentgateway.core.Principal;
import org.junit.jupiter.api.Test;

/** The owner map is bounded; a forgotten task is unowned (fail open), as documented on A2aBackend. */
class TaskOwnersTest {
    private final AtomicLong now = new AtomicLong();
    private final TaskOwners owners = new TaskOwners(2, Duration.ofMinutes(10), now::get);
    private final Principal alice = Principal.of("alice", "jwt");

    @Test
    void theFirstClaimWinsAndTheKeyIsSchemeAndSubject() {
        owners.claim("t1", alice);
        owners.claim("t1", Principal.of("bob", "jwt"));

        assertThat(owners.owner("t1")).isEqualTo(new TaskOwners.Owner("jwt:alice", "alice"));
        assertThat(TaskOwners.key(Principal.of("alice", "api-key"))).isEqualTo("api-key:alice");
        assertThat(owners.owner("unknown")).isNull();
    }

    @Test
    void theLeastRecentlyUsedTaskIsForgottenBeyondTheBound() {
        owners.claim("t1", alice);
        owners.claim("t2", alice);
        owners.owner("t1"); // t2 is now the least recently used
        owners.claim("t3", alice);

        assertThat(owners.size()).isEqualTo(2);
        assertThat(owners.owner("t2")).isNull();
        assertThat(owners.owner("t1")).isNotNull();
        assertThat(owners.owner("t3")).isNotNull();
    }

    @Test
    void anIdleTaskExpiresButUseKeepsItAlive() {
        owners.claim("t1", alice);
        owners.claim("t2", alice);
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        owners.owner("t1");
        now.addAndGet(Duration.ofMinutes(6).toNanos());

        assertThat(owners.owner("t1")).isNotNull();
        assertThat(owners.owner("t2")).isNull();
    }
}
