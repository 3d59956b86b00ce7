package dev.agentgateway.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.agentgateway.mcp.PrefixMode;
import org.junit.jupiter.api.Test;

class NamingTest {

    @Test
    void conditionalPrefixesOnlyWithSeveralTargets() {
        assertThat(new Naming(List.of("a"), PrefixMode.CONDITIONAL).name("a", "echo")).isEqualTo("echo");
        Naming two = new Naming(List.of("a", "b-2"), PrefixMode.CONDITIONAL);
        assertThat(two.name("b-2", "get_sum")).isEqualTo("b-2_get_sum");
        assertThat(two.uri("a", "file:///x")).isEqualTo("a+file:///x");
    }

    @Test
    void namesSplitAtTheFirstDelimiterBecauseTargetsCannotContainIt() {
        Naming naming = new Naming(List.of("github", "notes"), PrefixMode.ALWAYS);
        assertThat(naming.resolveName("github_search_issues")).isEqualTo(new Naming.Owned("github", "search_issues"));
        assertThat(naming.resolveUri("notes+memo:insights+more")).isEqualTo(new Naming.Owned("notes", "memo:insights+more"));
        assertThat(naming.resolveName("gitlab_search")).isNull();
        assertThat(naming.resolveName("nodelimiter")).isNull();
    }

    @Test
    void neverNeedsALookupWithSeveralTargets() {
        assertThat(new Naming(List.of("a", "b"), PrefixMode.NEVER).needsLookup()).isTrue();
        assertThat(new Naming(List.of("a", "b"), PrefixMode.NEVER).resolveName("x")).isNull();
        assertThat(new Naming(List.of("a"), PrefixMode.NEVER).resolveName("x")).isEqualTo(new Naming.Owned("a", "x"));
    }

    @Test
    void targetNamesThatWouldBreakPrefixesAreRefused() {
        assertThat(TargetNames.check("weather-v2.eu")).isEqualTo("weather-v2.eu");
        for (String bad : List.of("my_target", "a+b", "1st", "", "with space")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TargetNames.check(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target name");
        }
    }
}
