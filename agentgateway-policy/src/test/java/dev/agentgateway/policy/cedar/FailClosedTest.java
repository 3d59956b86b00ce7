package dev.agentgateway.policy.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An evaluation error never allows: Cedar skips a failing policy, which for a {@code forbid} would let
 * through what it meant to stop, so that case denies; a failing {@code permit} permits nothing. Also
 * arguments that are not what the schema says (not an object, the wrong type, nested too deep).
 */
class FailClosedTest {
    private static final String POLICIES = """
            permit(principal in Group::"ops", action == Action::"call_tool", resource);
            // overflows for a huge limit: an error inside a forbid
            forbid(principal, action == Action::"call_tool", resource)
            when { context has arguments && context.arguments has limit && context.arguments.limit * 1000 > 100000 };
            // an error inside a permit, while the other permit allows
            permit(principal in Group::"ops", action == Action::"call_tool", resource)
            when { context has arguments && context.arguments has limit && context.arguments.limit + 9223372036854775800 > 0 };
            // reads repo as a string
            permit(principal in Group::"dev", action == Action::"call_tool", resource)
            when { context has arguments && context.arguments has repo && context.arguments.repo like "my-team/*" };
            """;

    private final CompiledPolicies compiled = CompiledPolicies.compile(Map.of("test.cedar", POLICIES),
            CedarSchema.parse("type Arguments = { limit?: Long, repo?: String };"), 1, new ArrayList<>());
    private final Decisions decisions = new Decisions(() -> compiled, 0, Duration.ofMinutes(1));

    @Test
    void anErrorInAForbidDenies() {
        assertThat(call("ops", Map.of("limit", 50L)).allowed()).isTrue();
        assertThat(call("ops", Map.of("limit", 500L)).allowed()).isFalse();
        Decisions.Decision overflow = call("ops", Map.of("limit", Long.MAX_VALUE / 10));
        assertThat(overflow.errors()).as("Cedar reports the overflow").isNotEmpty();
        assertThat(overflow.allowed()).as("Cedar alone would allow: the failing forbid is skipped").isFalse();
    }

    @Test
    void anErrorInAPermitOnlyPermitsNothing() {
        assertThat(call("ops", Map.of("limit", 5L)).errors()).isEmpty();
        Decisions.Decision permitFails = call("ops", Map.of("limit", 50L)); // overflows in the second permit only
        assertThat(permitFails.errors()).hasSize(1);
        assertThat(permitFails.allowed()).as("the first permit allows; the failing one just does not").isTrue();
        assertThat(call("dev", Map.of("limit", 50L)).allowed()).as("no permit of dev's holds").isFalse();
    }

    @Test
    void argumentsOfTheWrongShapeAreDenied() {
        assertThat(call("dev", Map.of("repo", "my-team/app")).allowed()).isTrue();
        assertThat(call("dev", Map.of("repo", "other/app")).allowed()).isFalse();
        assertThat(call("dev", Map.of("repo", 42L)).allowed()).as("a number where a string is read").isFalse();
        assertThat(call("dev", Map.of("repo", List.of("my-team/app"))).allowed()).as("a list where a string is read").isFalse();
        assertThat(call("dev", Map.of("repo", Map.of("x", "my-team/app"))).allowed()).as("a record where a string is read").isFalse();
        Map<String, Object> deep = Map.of("repo", "my-team/app");
        for (int i = 0; i < 200; i++) {
            deep = Map.of("nested", deep);
        }
        assertThat(call("dev", deep).allowed()).as("nested too deep").isFalse();
        assertThat(decide("dev", Map.of("arguments", "my-team/app")).allowed()).as("arguments that are a string").isFalse();
        assertThat(decide("dev", Map.of("arguments", List.of(1, 2))).allowed()).as("arguments that are a list").isFalse();
    }

    private Decisions.Decision call(String group, Map<String, Object> arguments) {
        return decide(group, Map.of("arguments", arguments));
    }

    private Decisions.Decision decide(String group, Map<String, Object> context) {
        Map<String, Object> all = new java.util.HashMap<>(context);
        all.put("method", "tools/call");
        all.put("target", "a");
        all.put("name", "x");
        RequestFacts facts = RequestFacts.of(CedarTestSupport.exchange(new Principal("p", "jwt", Set.of(group), Map.of())),
                Instant.now(), GroupHierarchy.NONE);
        return decisions.decide(facts, new Operation("mcp", "call_tool", "Tool", "a_x", all));
    }
}
