package io.ringcache.node.handoff;

/**
 * What this node's hand-offs did since it started.
 *
 * @param entriesSent entries acknowledged by their new owners
 * @param bytesSent their charge (key + value + per-entry overhead)
 * @param entriesDropped entries dropped because this node no longer owns them
 * @param batchesFailed batches a new owner did not acknowledge (their entries stay for the next pass)
 * @param passesCompleted hand-off passes that ran to the end of a ring change
 */
public record HandoffStats(long entriesSent, long bytesSent, long entriesDropped, long batchesFailed,
                           long passesCompleted) {
}
