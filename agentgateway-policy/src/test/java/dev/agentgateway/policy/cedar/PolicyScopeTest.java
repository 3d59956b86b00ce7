package dev.agentgateway.policy.cedar;

import static org.assertj.core.api.Assertions.assertThat;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
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
 * Asking Cedar only the policies whose head can match ({@link PolicyScope}) must give exactly the answer
 * of the whole set: every head form against principals, actions and resources of every kind.
 */
class PolicyScopeTest {
    private static final String POLICIES = """
            permit(principal == User::"alice", action == Action::"call_tool", resource == Tool::"a_x");
            permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"a");
            permit(principal in Group::"engineering", action == Action::"get_prompt", resource is Prompt);
            permit(principal is Client, action in [Action::"call_tool", Action::"get_task"], resource);
            permit(principal is User in Group::"ops", action, resource is Tool in Route::"tools");
            permit(principal, action == Action::"http_request", resource == Route::"tools") when { context.request.method == "GET" };
            permit(principal is User, action == Action::"get_task", resource is Task in Agent::"planner") when { resource.owner == principal.subject };
            forbid(principal, action == Action::"call_tool", resource) when { resource.name like "*delete*" };
            forbid(principal in Group::"banned", action, resource);
            permit(principal == Anonymous::"anonymous", action == Action::"get_prompt", resource == Prompt::"public");
            """;

    @Test
    void theApplicablePoliciesDecideExactlyAsTheWholeSet() throws Exception {
        CompiledPolicies compiled = CompiledPolicies.compile(Map.of("test.cedar", POLICIES), CedarSchema.parse(""), 1, new ArrayList<>());
        GroupHierarchy groups = new GroupHierarchy(Map.of("backend", Set.of("engineering"), "dev", Set.of("engineering")));
        Decisions scoped = new Decisions(() -> compiled, 0, Duration.ofMinutes(1));
        BasicAuthorizationEngine engine = new BasicAuthorizationEngine();
        List<Principal> principals = new ArrayList<>();
        principals.add(null);
        principals.add(new Principal("alice", "jwt", Set.of("dev"), Map.of()));
        principals.add(new Principal("bob", "jwt", Set.of("backend"), Map.of()));
        principals.add(new Principal("olga", "jwt", Set.of("ops", "banned"), Map.of()));
        principals.add(new Principal("olga", "jwt", Set.of("ops"), Map.of()));
        principals.add(new Principal("ci", "api-key", Set.of(), Map.of()));
        List<Operation> operations = List.of(
                new Operation("mcp", "call_tool", "Tool", "a_x", Map.of("target", "a", "name", "x")),
                new Operation("mcp", "call_tool", "Tool", "a_delete", Map.of("target", "a", "name", "delete")),
                new Operation("mcp", "call_tool", "Tool", "b_y", Map.of("target", "b", "name", "y")),
                new Operation("mcp", "call_tool", "Tool", "loose", Map.of()),
                new Operation("mcp", "get_prompt", "Prompt", "public", Map.of("target", "a", "name", "public")),
                new Operation("mcp", "get_prompt", "Prompt", "a_p", Map.of("target", "a", "name", "p")),
                new Operation("http", "http_request", "Route", "tools", Map.of()),
                new Operation("a2a", "get_task", "Task", "t1", Map.of("agent", "planner", "owner", "alice")),
                new Operation("a2a", "get_task", "Task", "t2", Map.of("agent", "other", "owner", "bob")),
                new Operation("llm", "use_model", "Model", "gpt", Map.of()));
        int allowed = 0;
        int asked = 0;
        for (Principal principal : principals) {
            RequestFacts facts = RequestFacts.of(CedarTestSupport.exchange(principal), Instant.parse("2026-12-07T12:00:00Z"), groups);
            for (Operation operation : operations) {
                CedarRequest request = CedarRequest.of(facts, operation, compiled.context());
                AuthorizationResponse whole = engine.isAuthorized(new AuthorizationRequest(facts.principalEntity.getEUID(),
                        request.action(), request.resource(), request.context()), compiled.policySet(), request.entities());
                Decisions.Decision decision = scoped.decide(facts, operation);
                String what = (principal == null ? "anonymous" : principal.subject() + principal.roles()) + " " + operation;
                assertThat(decision.allowed()).as(what).isEqualTo(whole.success.orElseThrow().isAllowed());
                if (decision.allowed() || !decision.reasons().isEmpty()) {
                    assertThat(decision.reasons()).as(what).isEqualTo(whole.success.orElseThrow().getReason());
                } // else no permit matched, Cedar was not asked, and the log says "none permits" rather than naming a forbid

                allowed += decision.allowed() ? 1 : 0;
                asked++;
            }
        }
        assertThat(allowed).as("the matrix holds both answers").isBetween(8, asked - 8);
        assertThat(compiled.subsets()).as("most requests were asked of a part of the set").isNotEmpty();
    }

    @Test
    void aRequestNoPermitCanMatchIsDeniedWithoutAskingCedar() throws Exception {
        CompiledPolicies compiled = CompiledPolicies.compile(Map.of("test.cedar", POLICIES), CedarSchema.parse(""), 1, new ArrayList<>());
        RequestFacts facts = RequestFacts.of(CedarTestSupport.exchange(new Principal("zed", "jwt", Set.of(), Map.of())), Instant.now(), GroupHierarchy.NONE);
        Operation model = new Operation("llm", "use_model", "Model", "gpt", Map.of());
        Operation tool = new Operation("mcp", "call_tool", "Tool", "a_x", Map.of("target", "a", "name", "x"));
        assertThat(compiled.applicableTo(CedarRequest.of(facts, model, compiled.context()))).isNull();
        assertThat(compiled.applicableTo(CedarRequest.of(facts, tool, compiled.context()))).isNull(); // only the forbid's head matches
    }
}
