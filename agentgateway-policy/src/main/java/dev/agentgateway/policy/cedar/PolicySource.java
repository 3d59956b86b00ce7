package dev.agentgateway.policy.cedar;

import com.cedarpolicy.model.schema.Schema;
import dev.agentgateway.core.GatewayContext;
import dev.agentgateway.policy.internal.WatchedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy set in force for one gateway: compiled once from text, or watched on disk, where a new
 * version replaces the old only if it parses and validates ({@link WatchedFile} keeps the last good one
 * and logs why the new one was refused).
 */
final class PolicySource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CedarAuthorization.class);

    private final CedarPolicies policies;
    private final Schema schema;
    private final AtomicLong versions;
    private final CompiledPolicies fixed;
    private final WatchedFile<CompiledPolicies> watched;

    /**
     * @param compiled the set {@link CedarAuthorization.Builder#build()} compiled: in force for text, which
     *        cannot change; files are read again, since they may have changed since
     */
    PolicySource(CedarPolicies policies, Schema schema, CompiledPolicies compiled) {
        this.policies = policies;
        this.schema = schema;
        this.versions = new AtomicLong(compiled.version());
        if (policies.path() == null) {
            this.fixed = compiled;
            this.watched = null;
        } else {
            this.fixed = null;
            this.watched = new WatchedFile<>(policies.path(), policies.toString(), path -> compile());
        }
    }

    private CompiledPolicies compile() {
        java.util.Map<String, String> sources;
        try {
            sources = policies.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> warnings = new ArrayList<>();
        CompiledPolicies compiled = CompiledPolicies.compile(sources, schema, versions.incrementAndGet(), warnings);
        warnings.forEach(warning -> LOG.warn("{}: {}", policies, warning));
        LOG.debug("{}: version {} with {} policies", policies, compiled.version(), compiled.size());
        return compiled;
    }

    /** Polls the files; each new set in force is announced, so kept views (MCP lists) are decided again. */
    void watch(GatewayContext gateway, Duration interval) {
        watched.onReload(gateway::authorizationChanged);
        watched.watch(gateway, interval);
    }

    CompiledPolicies current() {
        return fixed != null ? fixed : watched.value();
    }

    @Override
    public void close() {
        if (watched != null) {
            watched.close();
        }
    }
}
