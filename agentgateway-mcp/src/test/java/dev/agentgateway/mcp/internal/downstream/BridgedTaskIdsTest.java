package dev.agentgateway.mcp.internal.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BridgedTaskIdsTest {

    @Test
    void pagesOneTargetsTasksOldestFirstAfterACursor() {
        BridgedTaskIds known = new BridgedTaskIds();
        known.add("a", "t1");
        known.add("b", "u1");
        known.add("a", "t2");
        known.add("a", "t3");
        known.add("a", "t1"); // seen again: still one entry, in its first place
        assertThat(known.page("a", 0, 2)).extracting(BridgedTaskIds.Known::taskId).containsExactly("t1", "t2", "t3");
        long afterT2 = known.page("a", 0, 2).get(1).sequence();
        assertThat(known.page("a", afterT2, 2)).extracting(BridgedTaskIds.Known::taskId).containsExactly("t3");
        assertThat(known.page("b", 0, 10)).extracting(BridgedTaskIds.Known::taskId).containsExactly("u1");
        known.forget("a", "t2");
        assertThat(known.page("a", 0, 10)).extracting(BridgedTaskIds.Known::taskId).containsExactly("t1", "t3");
        assertThat(known.any("c")).isFalse();
    }

    @Test
    void remembersAtMostMaxTasksForgettingTheOldest() {
        BridgedTaskIds known = new BridgedTaskIds();
        for (int i = 0; i < BridgedTaskIds.MAX + 5; i++) {
            known.add("a", "t" + i);
        }
        var all = known.page("a", 0, Integer.MAX_VALUE - 1);
        assertThat(all).hasSize(BridgedTaskIds.MAX);
        assertThat(all.get(0).taskId()).isEqualTo("t5");
    }
}
