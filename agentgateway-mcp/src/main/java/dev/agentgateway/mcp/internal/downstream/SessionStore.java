package dev.agentgateway.mcp.internal.downstream;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.agentgateway.mcp.internal.McpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client sessions alive in one gateway. A session id this gateway does not hold is opened as a
 * token and the session rebuilt from it (it was created by another replica, or before a restart),
 * unless this gateway ended it (DELETE or idle expiry), in which case it stays unknown (404) so the
 * client re-initialises. Idle sessions are swept, and at most {@code maxSessions} live: a new one
 * beyond ends the session unused the longest (idle ones before those with a request or stream open).
 */
public final class SessionStore {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    private static final int MAX_ENDED = 100_000;

    private final McpContext context;
    private final SessionTokens tokens;
    private final Map<String, DownstreamSession> live = new ConcurrentHashMap<>();
    private final Map<String, Long> ended = new ConcurrentHashMap<>();
    private final long idleNanos;
    private final ScheduledFuture<?> sweeper;

    public SessionStore(McpContext context, SessionTokens tokens) {
        this.context = context;
        this.tokens = tokens;
        this.idleNanos = context.settings().sessionIdleTimeout().toNanos();
        long period = Math.max(100, Math.min(30_000, context.settings().sessionIdleTimeout().toMillis() / 4));
        this.sweeper = context.scheduler().scheduleWithFixedDelay(
                () -> context.executor().execute(this::sweep), period, period, TimeUnit.MILLISECONDS);
    }

    public int size() {
        return live.size();
    }

    public void add(DownstreamSession session) {
        session.touch();
        live.put(session.id(), session);
        evictBeyondMax(session);
    }

    /** Ends the least recently used sessions while more than {@code maxSessions} live; O(n), only when full. */
    private void evictBeyondMax(DownstreamSession keep) {
        int max = context.settings().maxSessions();
        while (live.size() > max) {
            DownstreamSession victim = null;
            for (DownstreamSession candidate : live.values()) {
                if (candidate != keep && (victim == null || older(candidate, victim))) {
                    victim = candidate;
                }
            }
            if (victim == null) {
                return;
            }
            LOG.info("session {} ended: {} sessions are alive (maxSessions) and a new one began", victim.shortId(), max);
            context.metrics().sessionEvicted();
            end(victim.id());
        }
    }

    /** Whether {@code a} should go before {@code b}: idle before busy, then the one unused the longest. */
    private static boolean older(DownstreamSession a, DownstreamSession b) {
        boolean aIdle = a.idleNanos() > 0;
        boolean bIdle = b.idleNanos() > 0;
        if (aIdle != bIdle) {
            return aIdle;
        }
        return a.lastUsedNanos() - b.lastUsedNanos() < 0;
    }

    /** The live session with this id, a session rebuilt from a valid token, or {@code null}. */
    public DownstreamSession find(String id) {
        DownstreamSession session = live.get(id);
        if (session != null || ended.containsKey(id)) {
            return session;
        }
        SessionState state = tokens.open(id);
        if (state == null) {
            return null;
        }
        DownstreamSession resumed = new DownstreamSession(context, false, state.owner());
        resumed.id(id);
        resumed.state(state);
        DownstreamSession raced = live.putIfAbsent(id, resumed);
        if (raced != null) {
            return raced;
        }
        LOG.info("session {} resumed from its token ({} upstream sessions named)", resumed.shortId(), state.upstreams().size());
        evictBeyondMax(resumed);
        return resumed;
    }

    /** Ends a session: it is forgotten, remembered as ended, and its upstream sessions closed. */
    public void end(String id) {
        DownstreamSession session = live.remove(id);
        ended.put(id, System.nanoTime());
        if (ended.size() > MAX_ENDED) {
            Iterator<String> oldest = ended.keySet().iterator();
            while (ended.size() > MAX_ENDED && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        if (session != null) {
            session.close();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (DownstreamSession session : live.values()) {
            if (session.idleNanos() > idleNanos && !session.legacy()) {
                LOG.info("session {} idle for longer than {}; ending it", session.shortId(), context.settings().sessionIdleTimeout());
                end(session.id());
            }
        }
        ended.values().removeIf(at -> now - at > Math.max(idleNanos * 2, TimeUnit.HOURS.toNanos(1)));
    }

    /** The live sessions now. */
    public java.util.Collection<DownstreamSession> live() {
        return java.util.List.copyOf(live.values());
    }

    /** Ends every client's stream of unrelated messages; sessions live on (the gateway is draining). */
    public void endListeningStreams() {
        for (DownstreamSession session : live.values()) {
            session.endListeningStream();
        }
    }

    /** Ends every session (the gateway is stopping). */
    public void close() {
        sweeper.cancel(false);
        java.util.List<Thread> closing = new java.util.ArrayList<>();
        for (DownstreamSession session : live.values()) {
            closing.add(Thread.ofVirtual().name("mcp-session-close").start(session::close));
        }
        for (Thread thread : closing) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        live.clear();
    }
}
