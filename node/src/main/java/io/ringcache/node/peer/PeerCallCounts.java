package io.ringcache.node.peer;

import java.util.concurrent.atomic.LongAdder;

/**
 * Failures of the calls of one {@link PeerClient} that only their exceptions' messages told of, counted by its
 * connections for the node's metrics.
 */
final class PeerCallCounts {

    /**
     * Calls (pings of idle connections included) failed unsent because their connection held the write buffer's high
     * mark: the peer stopped reading what it was sent.
     */
    final LongAdder unsentWriteBufferFull = new LongAdder();
    /** Calls the peer answered {@code UNSUPPORTED_OPERATION}: it does not know their operation (an older version). */
    final LongAdder unsupported = new LongAdder();
}
