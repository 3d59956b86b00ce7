package dev.agentgateway.policy.cedar;

import static java.util.Objects.requireNonNull;

import com.cedarpolicy.model.schema.Schema;
import dev.agentgateway.core.Checks;
import dev.agentgateway.core.Exchange;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.core.Policy;
import dev.agentgateway.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorization with Cedar policies, for every protocol: each request's {@link dev.agentgateway.core.Operation}
 * (a tool call, a model, an A2A message, or {@code http_request} on a plain route) is decided against
 * the policies, and the protocol modules ask the same policies about each item they list, through the
 * {@link dev.agentgateway.core.Authorizer} this policy stores on the exchange, so a caller sees only
 * the tools, prompts, resources, models, skills and agents it may use.
 *
 * <pre>{@code
 * Gateway.builder()
 *     .policy(JwtAuth.builder().issuer(JwtIssuer.oidc("https://idp.example.com")).build())
 *     .policy(CedarAuthorization.builder()
 *         .policies(CedarPolicies.directory(Path.of("/etc/gateway/policies")))
 *         .schemaExtension("type Arguments = { repo?: String };")
 *         .build())
 *     ...
 * }</pre>
 *
 * <p>with a policy such as
 *
 * <pre>{@code
 * permit(principal in Group::"dev", action == Action::"call_tool", resource in McpTarget::"github")
 * when { context.arguments has repo && context.arguments.repo like "my-team/*" };
 * }</pre>
 *
 * <ul>
 *   <li>The entity model is the schema {@code agentgateway.cedarschema} shipped in this package (see
 *       the README): principals {@code User}, {@code Client} (API keys), {@code Anonymous} in
 *       {@code Group}s (their roles); resources {@code Tool}, {@code Prompt}, {@code Resource} in their
 *       {@code McpTarget}, {@code Agent}, {@code Task}, {@code Model}, all in their {@code Route}.
 *   <li>Policies are validated against it when built and at every reload: a typo in an action or an
 *       attribute fails {@link Builder#build()} with Cedar's message.
 *   <li>Default deny, and fail closed: an evaluation error denies. A denied request gets 403 in its
 *       protocol's shape, except that a tool, prompt, resource, model or task the caller may not use
 *       is answered as if it did not exist ({@link dev.agentgateway.core.GatewayException#hidden}).
 *   <li>Operations that name no resource (a {@code tools/list}, {@code initialize}, {@code GET
 *       /v1/models}) pass; their answers are filtered per item.
 * </ul>
 */
public final class CedarAuthorization implements Policy {
    private static final Logger LOG = LoggerFactory.getLogger(CedarAuthorization.class);

    private final Builder config;
    private final Schema schema;
    private final CompiledPolicies compiled;

    private CedarAuthorization(Builder config, Schema schema, CompiledPolicies compiled) {
        this.config = config;
        this.schema = schema;
        this.compiled = compiled;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZATION;
    }

    @Override
    public Response apply(Exchange exchange, Chain next) {
        throw new IllegalStateException("CedarAuthorization serves requests once bound to a gateway");
    }

    @Override
    public Policy bind(GatewayContext gateway) {
        PolicySource source = new PolicySource(config.policies, schema, compiled);
        if (config.policies.path() != null) {
            source.watch(gateway, config.reloadInterval);
        }
        return new BoundCedarAuthorization(source,
                new Decisions(source::current, config.cacheSize, config.cacheTtl),
                new DecisionLog(gateway.meterRegistry()), config.clock, new GroupHierarchy(config.groupParents));
    }

    /** Configures a {@link CedarAuthorization}. */
    public static final class Builder {
        private CedarPolicies policies;
        private String schemaExtension = "";
        private Duration reloadInterval = Duration.ofSeconds(1);
        private long cacheSize = 100_000;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private Clock clock = Clock.systemUTC();
        private final Map<String, Set<String>> groupParents = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Puts {@code group} inside {@code parents}: {@code groupParents("backend", "engineering")} makes
         * {@code principal in Group::"engineering"} hold for callers with the role {@code backend}.
         * Cycles fail {@link #build()}.
         */
        public Builder groupParents(String group, String... parents) {
            requireNonNull(group, "group");
            Set<String> above = groupParents.computeIfAbsent(group, g -> new LinkedHashSet<>());
            for (String parent : parents) {
                above.add(requireNonNull(parent, "parent"));
            }
            return this;
        }

        /** Where the policies come from (required). */
        public Builder policies(CedarPolicies policies) {
            this.policies = requireNonNull(policies, "policies");
            return this;
        }

        /** Shorthand for {@code policies(CedarPolicies.of(text))}. */
        public Builder policies(String text) {
            return policies(CedarPolicies.of(text));
        }

        /**
         * Cedar schema text added to the module's entity model, typically the tool arguments policies
         * read: {@code type Arguments = { repo?: String, limit?: Long };}.
         */
        public Builder schemaExtension(String schemaText) {
            this.schemaExtension = requireNonNull(schemaText, "schemaText");
            return this;
        }

        /** How often policy files are checked for changes (default 1 s); a change is read once it stays for one check. */
        public Builder reloadInterval(Duration interval) {
            this.reloadInterval = Checks.positive(interval, "reloadInterval");
            return this;
        }

        /**
         * The decision cache: at most {@code maxEntries} answers (default 100,000; 0 turns it off), each
         * kept at most {@code ttl} (default 10 minutes). A new policy version never uses older answers.
         */
        public Builder decisionCache(long maxEntries, Duration ttl) {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("maxEntries must not be negative");
            }
            this.cacheSize = maxEntries;
            this.cacheTtl = Checks.positive(ttl, "ttl");
            return this;
        }

        /** The clock behind {@code context.now} (default: the system's, UTC). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Parses the schema and the policies and validates them.
         *
         * @throws IllegalArgumentException with Cedar's messages when the schema extension or a policy
         *         does not parse, or the policies do not validate against the schema
         * @throws IllegalStateException when Cedar's native library cannot be loaded on this platform
         */
        public CedarAuthorization build() {
            requireNonNull(policies, "policies are required");
            Schema schema;
            CompiledPolicies compiled;
            try {
                schema = CedarSchema.parse(schemaExtension);
                List<String> warnings = new ArrayList<>();
                compiled = CompiledPolicies.compile(policies.read(), schema, 1, warnings);
                warnings.forEach(warning -> LOG.warn("{}: {}", policies, warning));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(policies + " cannot be read: " + e.getMessage(), e);
            } catch (LinkageError e) {
                throw new IllegalStateException("Cedar's native library could not be loaded on "
                        + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e, e);
            }
            GroupHierarchy checked = new GroupHierarchy(groupParents); // refuses cycles now, not at the first request
            Builder copy = new Builder();
            copy.groupParents.putAll(checked.parents());
            copy.policies = policies;
            copy.schemaExtension = schemaExtension;
            copy.reloadInterval = reloadInterval;
            copy.cacheSize = cacheSize;
            copy.cacheTtl = cacheTtl;
            copy.clock = clock;
            return new CedarAuthorization(copy, schema, compiled);
        }
    }
}
