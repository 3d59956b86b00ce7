package dev.agentgateway.a2a.internal;

import java.util.concurrent.locks.ReentrantLock;

import dev.agentgateway.a2a.A2aBackend;
import dev.agentgateway.core.GatewayException;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gateway knows of one agent's own card ({@link CardFacts}), fetched when first needed and
 * again after the configured time; also refreshed whenever a client fetches the card through the gateway.
 */
final class CardCache {
    private static final Logger LOG = LoggerFactory.getLogger(CardCache.class);
    /** After a failed fetch, how long to wait before trying again (a down agent is not asked on every call). */
    private static final long RETRY_NANOS = 5_000_000_000L;

    private final A2aBackend config;
    private final HttpClient client;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile CardFacts facts = CardFacts.UNKNOWN;
    private volatile long expiresNanos = System.nanoTime();

    CardCache(A2aBackend config, HttpClient client) {
        this.config = config;
        this.client = client;
    }

    /** The facts, fetching the card first when they are missing or stale. */
    CardFacts facts() throws InterruptedException {
        if (System.nanoTime() - expiresNanos < 0) {
            return facts;
        }
        lock.lock();
        try {
            if (System.nanoTime() - expiresNanos < 0) {
                return facts;
            }
            try {
                remember(CardFacts.of(AgentCards.fetch(client, config.url(), null, config.requestTimeout(),
                        config.maxCardSize(), config.name())));
            } catch (GatewayException e) {
                LOG.debug("agent {}: card not available ({}); JSON-RPC calls to the prefix go to its root", config.url(), e.getMessage());
                expiresNanos = System.nanoTime() + RETRY_NANOS;
            }
            return facts;
        } finally {
            lock.unlock();
        }
    }

    /** The facts known now, without fetching. */
    CardFacts knownFacts() {
        return facts;
    }

    /**
     * Takes the skills of a card a client fetched for one protocol version (as a2a-js does, with an
     * {@code A2A-Version} header) while the gateway has no card of its own yet. Only the skills: that
     * card's interfaces may list only its version's, so the paths still come from the gateway's own
     * fetch, which this does not postpone.
     */
    void rememberSkills(CardFacts versioned) {
        if (facts.skills().isEmpty() && !versioned.skills().isEmpty()) {
            facts = new CardFacts(facts.jsonRpc10(), facts.jsonRpc03(), versioned.skills());
        }
    }

    void remember(CardFacts fresh) {
        facts = fresh;
        expiresNanos = System.nanoTime() + config.cardCacheTtl().toNanos();
    }
}
