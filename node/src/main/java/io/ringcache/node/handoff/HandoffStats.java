package io.ringcache.node.handoff;

/**
 * What this node's hand-offs did since it started.
 *
 * @param entriesSent entries acknowledged by their new owners
 * @param bytesSent the encoded size of the batches that carried them
 * @param entriesDropped entries dropped because this node no longer owns them
 * @param batchesFailed batches a new owner did not acknowledge (their entries stay here and are offered again)
 * @param passesCompleted ring changes whose hand-off this node finished: every entry acknowledged
 * @param entriesPending entries this node still has to hand to new owners that have not acknowledged them
 */
public record HandoffStats(long entriesSent, long bytesSent, long entriesDropped, long batchesFailed,
                           long passesCompleted, long entriesPending) {
}
