package dev.agentgateway.core.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

import dev.agentgateway.core.HttpBackend;

/**
 * Picks an endpoint for an attempt. Ejected endpoints are left out unless every endpoint is ejected
 * (then all are candidates again: better to try a recovering upstream than to fail every request).
 */
final class LoadBalancer {
    private final List<EndpointState> endpoints;
    private final HttpBackend.LoadBalancing strategy;
    private final ReentrantLock lock = new ReentrantLock();

    LoadBalancer(List<EndpointState> endpoints, HttpBackend.LoadBalancing strategy) {
        this.endpoints = List.copyOf(endpoints);
        this.strategy = strategy;
    }

    /** Picks an endpoint not in {@code exclude} if there is one, else any. */
    EndpointState pick(Set<EndpointState> exclude) {
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        long now = System.nanoTime();
        List<EndpointState> candidates = new ArrayList<>(endpoints.size());
        for (EndpointState endpoint : endpoints) {
            if (!exclude.contains(endpoint) && !endpoint.isEjected(now)) {
                candidates.add(endpoint);
            }
        }
        if (candidates.isEmpty()) {
            for (EndpointState endpoint : endpoints) {
                if (!exclude.contains(endpoint)) {
                    candidates.add(endpoint);
                }
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(endpoints);
        }
        return switch (strategy) {
            case ROUND_ROBIN -> smoothWeightedRoundRobin(candidates);
            case LEAST_REQUEST -> powerOfTwoChoices(candidates);
        };
    }

    /** nginx's smooth weighted round robin: spreads heavier endpoints evenly rather than in bursts. */
    private EndpointState smoothWeightedRoundRobin(List<EndpointState> candidates) {
        lock.lock();
        try {
            long total = 0;
            EndpointState best = null;
            for (EndpointState candidate : candidates) {
                int weight = candidate.endpoint.weight();
                candidate.currentWeight += weight;
                total += weight;
                if (best == null || candidate.currentWeight > best.currentWeight) {
                    best = candidate;
                }
            }
            best.currentWeight -= total;
            return best;
        } finally {
            lock.unlock();
        }
    }

    /** Two random candidates; the one with fewer requests in flight per unit of weight wins. */
    private static EndpointState powerOfTwoChoices(List<EndpointState> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(candidates.size());
        int second = random.nextInt(candidates.size() - 1);
        if (second >= first) {
            second++;
        }
        EndpointState a = candidates.get(first);
        EndpointState b = candidates.get(second);
        double loadA = (double) a.active.get() / a.endpoint.weight();
        double loadB = (double) b.active.get() / b.endpoint.weight();
        return loadA <= loadB ? a : b;
    }
}
