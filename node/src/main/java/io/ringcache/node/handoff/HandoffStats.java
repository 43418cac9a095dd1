package io.ringcache.node.handoff;

/**
 * What this node's hand-offs did since it started.
 *
 * @param entriesSent entries their new owners took (kept, or already held newer)
 * @param bytesSent the encoded size of the batches their new owners answered, refused entries included
 * @param entriesRefused entries a new owner refused because its ring gives their keys to other members (rings differ
 *     while members change): they stay here and go where this node's ring puts them at the next offer or ring change
 * @param entriesDropped entries dropped because this node no longer owns them
 * @param entriesGivenUp entries a new owner did not take when offered and still had not taken
 *     {@code HandoffStream.LONGEST_HOLD} after the ring change: no longer offered (a new owner may have forgotten a
 *     delete of the key by then), and dropped unless this node stays one of their owners
 * @param batchesFailed batches a new owner did not acknowledge (their entries stay here and are offered again)
 * @param passesCompleted ring changes whose hand-off this node finished: every entry acknowledged
 * @param entriesPending entries this node still has to hand to new owners that have not acknowledged them
 */
public record HandoffStats(long entriesSent, long bytesSent, long entriesRefused, long entriesDropped,
                           long entriesGivenUp, long batchesFailed, long passesCompleted, long entriesPending) {
}
