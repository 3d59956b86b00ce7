package dev.agentgateway.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.agentgateway.core.Gateway;
import dev.agentgateway.core.Route;
import dev.agentgateway.llm.LlmBackend;
import dev.agentgateway.llm.LlmProvider;
import dev.agentgateway.llm.RegexGuard;

/**
 * The LLM gateway in the quickstart: {@code /v1} speaks OpenAI Chat Completions (and the Anthropic
 * Messages API) in front of an in-process echo model, so it works offline and without credentials. With
 * {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY} or {@code GEMINI_API_KEY} set, the real provider is
 * added and the {@code fast} alias goes to it.
 *
 * <p>{@link #route()} is what the quickstart mounts; {@link #main} runs the route on its own (port 8080
 * or the first argument), for example from an IDE. Then:
 * <pre>
 * curl -s localhost:8080/v1/chat/completions -H 'Content-Type: application/json' \
 *      -d '{"model":"fast","messages":[{"role":"user","content":"hello"}]}'
 * </pre>
 */
public final class LlmDemo {

    private LlmDemo() {
    }

    /** The {@code /v1} route, configured from the process environment. */
    public static Route route() {
        return route(System::getenv);
    }

    /** The {@code /v1} route, configured from {@code environment} (variable name to value, or null). */
    public static Route route(Function<String, String> environment) {
        LlmBackend.Builder backend = LlmBackend.builder().name("llm-demo")
                .provider(LlmProvider.echo("mock").models("echo"))
                // Mask e-mail addresses both ways, as a taste of the prompt guards.
                .guard(RegexGuard.builder().mask(RegexGuard.EMAIL).build());
        List<String> fast = new ArrayList<>();
        if (present(environment, "OPENAI_API_KEY")) {
            backend.provider(LlmProvider.openAi("openai").environment(environment::apply));
            fast.add("openai/gpt-4o-mini");
        }
        if (present(environment, "ANTHROPIC_API_KEY")) {
            backend.provider(LlmProvider.anthropic("anthropic").environment(environment::apply));
            fast.add("anthropic/claude-haiku-4-5");
        }
        if (present(environment, "GEMINI_API_KEY")) {
            backend.provider(LlmProvider.gemini("gemini").environment(environment::apply));
            fast.add("gemini/gemini-2.5-flash");
        }
        fast.add("mock/echo");
        // Real providers first; the echo model stays as the last fallback.
        backend.model("fast", fast.stream().map(target -> dev.agentgateway.llm.ModelTarget.of(target)
                .priority(target.startsWith("mock/") ? 1 : 0)).toArray(dev.agentgateway.llm.ModelTarget[]::new));
        backend.defaultModel("fast");
        return Route.builder("llm").pathPrefix("/v1").backend(backend.build()).build();
    }

    private static boolean present(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        return value != null && !value.isBlank();
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        try (Gateway gateway = Gateway.builder().port(port).route(route()).start()) {
            String base = gateway.uri().toString().replaceAll("/$", "");
            System.out.println("""

                    The LLM gateway is listening on %s/v1 (OpenAI and Anthropic APIs).

                    Try:
                    %s
                    Press Ctrl+C to stop.
                    """.formatted(base, commands(base)));
            gateway.awaitClose();
        }
    }

    /** The curl commands that try the {@code /v1} route of a gateway at {@code base}, one per line. */
    static String commands(String base) {
        return """
                  curl -s %1$s/v1/models
                  curl -s %1$s/v1/chat/completions -H 'Content-Type: application/json' \\
                       -d '{"model":"fast","messages":[{"role":"user","content":"hello, I am bob@example.com"}]}'
                  curl -sN %1$s/v1/chat/completions -H 'Content-Type: application/json' \\
                       -d '{"model":"fast","stream":true,"messages":[{"role":"user","content":"stream these words"}]}'
                  curl -s %1$s/v1/messages -H 'Content-Type: application/json' \\
                       -d '{"model":"fast","max_tokens":64,"messages":[{"role":"user","content":"hi Claude-style"}]}'
                  (set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY to send "fast" to a real model)
                """.formatted(base);
    }

    /** For tests: the route with no provider keys, whatever this process's environment holds. */
    static Route offlineRoute() {
        return route(Map.<String, String>of()::get);
    }
}
