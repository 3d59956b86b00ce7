package dev.agentgateway.policy.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading htpasswd content. */
class HtpasswdTest {

    @Test
    void readsBcryptLinesAndSkipsCommentsBlankLinesAndOtherHashKinds() {
        String alice = BasicAuthTest.line("alice", "a");
        String bob = BasicAuthTest.line("bob", "b").replace("$2y$", "$2b$");
        Htpasswd users = Htpasswd.parse("# users\n\n" + alice + "\r\n" + bob + "\n"
                + "carol:$apr1$abcdefgh$0123456789abcdefghijkl\n"
                + "dave:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n"
                + "erin:plain\n");

        assertThat(users.users()).containsExactlyInAnyOrder("alice", "bob");
        assertThat(users.hash("alice")).isEqualTo(alice.substring("alice:".length()));
        assertThat(users.maxCost()).isEqualTo(4);
        assertThat(users.toString()).isEqualTo("Htpasswd[2 users]");
    }

    @Test
    void malformedLinesMakeTheWholeFileInvalidWithoutQuotingIt() {
        assertThatThrownBy(() -> Htpasswd.parse("alice:$2y$04$x\nsecret-without-colon\n"))
                .hasMessage("line 2: expected user:hash");
        String alice = BasicAuthTest.line("alice", "a");
        assertThatThrownBy(() -> Htpasswd.parse(alice + "\n" + alice)).hasMessageContaining("line 2: user 'alice' is listed twice");
        assertThatThrownBy(() -> Htpasswd.parse(" \n")).hasMessageContaining("empty");
        assertThat(Htpasswd.parse("# nobody yet\n").users()).isEmpty();
    }
}
