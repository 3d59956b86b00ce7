package dev.agentgateway.mcp.internal.downstream;

/**
 * Order-free fingerprints of a set of list items: the sum of each item's 64-bit hash, so pages add up
 * and the order targets give items in does not count. For noticing change, not for security.
 */
final class Fingerprints {
    /** The fingerprint of no items. */
    static final long EMPTY = 0;

    private Fingerprints() {
    }

    /** The hash of one item's JSON text: a 64-bit polynomial hash, mixed so that sums do not cancel out. */
    static long of(String json) {
        long h = 1125899906842597L;
        for (int i = 0; i < json.length(); i++) {
            h = 31 * h + json.charAt(i);
        }
        h ^= h >>> 33; // the MurmurHash3 finaliser
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
