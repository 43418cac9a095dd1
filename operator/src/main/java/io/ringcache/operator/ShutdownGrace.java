package io.ringcache.operator;

import io.ringcache.api.CacheSpec;

/**
 * How long a stopping node may take. SIGTERM (after the preStop pause) makes a node leave the ring and send its
 * entries to their new owners, at no more than its hand-off rate; whatever it has not sent when its shutdown grace
 * ends is lost. A fixed grace would lose part of every larger node's entries on each rollout, scale-down and drain,
 * so the grace grows with the memory a node may have to hand off, {@code cache.memory}.
 */
final class ShutdownGrace {

    /**
     * The node's hand-off rate limit, {@code ringcache.handoff.bytes-per-second} at its default (64M, see
     * docs/configuration.md): the operator does not render the key, so the nodes run with the default.
     */
    static final long HANDOFF_BYTES_PER_SECOND = 64L * 1024 * 1024;
    /** Hand-off runs below its limit when new owners or the network are busy: room for twice the full-rate time. */
    static final long HEADROOM = 2;
    /** The least grace of a node: plenty for the default 256Mi, and what every cache had before it grew. */
    static final long MIN_NODE_SECONDS = 45;
    /** For the process to exit after the node's grace ends, before the kubelet kills it. */
    static final long EXIT_SECONDS = 10;

    private ShutdownGrace() {
    }

    /** Seconds a stopping node may spend leaving the ring and handing its entries off: its shutdown grace. */
    static long nodeSeconds(CacheSpec cache) {
        long bytes = NodeConfiguration.bytes(cache.getMemory());
        long fullRateSeconds = bytes / HANDOFF_BYTES_PER_SECOND + (bytes % HANDOFF_BYTES_PER_SECOND == 0 ? 0 : 1);
        return Math.max(MIN_NODE_SECONDS, HEADROOM * fullRateSeconds);
    }

    /** The pod's termination grace period: the preStop pause, then the node's shutdown grace, then its exit. */
    static long podSeconds(CacheSpec cache) {
        return NodeDeploymentDependent.PRE_STOP_SLEEP_SECONDS + nodeSeconds(cache) + EXIT_SECONDS;
    }
}
