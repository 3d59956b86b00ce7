package dev.agentgateway.benchmarks.jmh;

import dev.agentgateway.core.Authorizer;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Operation;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Principal;
import dev.agentgateway.core.Response;
import dev.agentgateway.policy.cedar.CedarAuthorization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CedarAuthorization} on a realistic policy set (51 policies, 3 groups, one argument rule, one
 * forbid): one {@code tools/call} decision, and a {@code tools/list} of 100 tools filtered for one
 * caller, with the decision cache (what every listing after a caller's first costs) and without it
 * (one Cedar call per tool: what the first listing costs).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "--enable-native-access=ALL-UNNAMED")
public class CedarAuthorizationBenchmark {
    private static final String[] GROUPS = {"dev", "ops", "support"};
    private static final Policy.Chain DONE = exchange -> Response.of(204);

    private Policy cached;
    private Policy uncached;
    private BenchExchange call;
    private BenchExchange list;
    private List<Operation> tools;

    @Setup
    public void setUp() throws Exception {
        StringBuilder policies = new StringBuilder();
        for (String group : GROUPS) {
            for (int i = 0; i < 16; i++) {
                policies.append("permit(principal in Group::\"").append(group)
                        .append("\", action == Action::\"call_tool\", resource == Tool::\"github_tool").append(i * 3 + group.length() % 3)
                        .append("\");\n");
            }
        }
        policies.append("""
                permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"github")
                when { resource.name like "tool1*" && (context.method == "tools/list" || (context has arguments && context.arguments has repo && context.arguments.repo like "my-team/*")) };
                permit(principal in Group::"ops", action == Action::"get_prompt", resource);
                forbid(principal, action == Action::"call_tool", resource) when { resource.name like "*delete*" };
                """);
        GatewayContext context = BenchContext.of(new SimpleMeterRegistry());
        cached = build(policies.toString(), 100_000).bind(context);
        uncached = build(policies.toString(), 0).bind(context);
        Principal alice = new Principal("alice", "jwt", Set.of("dev", "support"), Map.of("tenant", "acme", "scope", "tools:call"));
        tools = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tools.add(new Operation("mcp", "call_tool", "Tool", "github_tool" + i,
                    Map.of("method", "tools/list", "target", "github", "name", "tool" + i)));
        }
        call = exchange(alice, new Operation("mcp", "call_tool", "Tool", "github_tool3",
                Map.of("method", "tools/call", "target", "github", "name", "tool3", "arguments", Map.of("repo", "my-team/app"))));
        list = exchange(alice, new Operation("mcp", "list_tools", "Tool", "", Map.of("method", "tools/list")));
        if (filter(cached) != filter(uncached) || filter(cached) == 0 || filter(cached) == 100) {
            throw new IllegalStateException("the benchmark's policies should let some tools through, the same with and without the cache");
        }
    }

    private static CedarAuthorization build(String policies, long cache) {
        return CedarAuthorization.builder().policies(policies).schemaExtension("type Arguments = { repo?: String };")
                .decisionCache(cache, Duration.ofMinutes(10)).build();
    }

    private static BenchExchange exchange(Principal principal, Operation operation) {
        BenchExchange exchange = new BenchExchange(HttpFields.build().put("Content-Type", "application/json")
                .put("Mcp-Session-Id", "s-1").put("Accept", "application/json, text/event-stream"));
        exchange.attribute(Principal.KEY, principal);
        exchange.attribute(Operation.KEY, operation);
        return exchange;
    }

    @TearDown
    public void tearDown() throws Exception {
        cached.close();
        uncached.close();
    }

    private int filter(Policy policy) throws Exception {
        list.attribute(Authorizer.KEY, null);
        policy.apply(list, DONE);
        Authorizer authorizer = list.attribute(Authorizer.KEY);
        int visible = 0;
        for (Operation tool : tools) {
            if (authorizer.allows(list, tool)) {
                visible++;
            }
        }
        return visible;
    }

    /** One tools/call decided, with the cache (the policy runs, the answer is found). */
    @Benchmark
    public Response toolCallCached() throws Exception {
        call.attribute(Authorizer.KEY, null);
        return cached.apply(call, DONE);
    }

    /** One tools/call decided by Cedar itself. */
    @Benchmark
    public Response toolCallUncached() throws Exception {
        call.attribute(Authorizer.KEY, null);
        return uncached.apply(call, DONE);
    }

    /** A tools/list of 100 tools filtered for a caller who listed before. */
    @Benchmark
    public int list100Cached() throws Exception {
        return filter(cached);
    }

    /** A tools/list of 100 tools filtered with one Cedar call per tool. */
    @Benchmark
    public int list100Uncached() throws Exception {
        return filter(uncached);
    }
}
