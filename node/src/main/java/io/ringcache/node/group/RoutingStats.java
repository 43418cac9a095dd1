package io.ringcache.node.group;

/**
 * How one group's requests crossed the cluster, as counted on one node.
 *
 * @param forwarded requests this node sent to another member (gets and writes)
 * @param servedForPeers gets this node served for another member
 * @param ownersUnreachable calls to a member that did not serve them (refused, silent, leaving): a read is then sent
 *     to the key's next member, and so is a write its member certainly did not apply
 * @param lastResortLoads loads this node ran for a key none of whose members could be reached (not kept)
 * @param backupFailures copies of writes that a backup did not acknowledge
 * @param backupRepairsPending keys whose copy a backup did not take in time (or for want of a connection), waiting to
 *     be sent to it again
 * @param backupCopiesRepaired such copies sent again that the backup took
 * @param backupRepairsDropped such copies given up: over the bound of waiting keys, or refused by the backup
 * @param hotHits reads answered from this node's copies of hot keys
 * @param hotCopiesHeld copies of hot keys this node holds now
 * @param hotKeysWithCopiesOut keys this node owns that other nodes hold copies of
 * @param invalidationsSent invalidations of copies this node sent as an owner
 * @param invalidationsReceived invalidations of this node's copies received from owners
 * @param invalidationFailures invalidations a copy holder did not acknowledge
 * @param hintsPending keys this node wrote in the place of an owner that did not answer, not yet delivered to it
 * @param hintsDelivered such writes the owner acknowledged
 * @param hintsDropped such writes given up: over the bound of waiting keys, or refused by the owner
 * @param writesOutcomeUnknown writes and read-modify-writes whose member was sent them and did not answer: failed
 *     as "may or may not have been applied", not sent to another member
 */
public record RoutingStats(long forwarded, long servedForPeers, long ownersUnreachable, long lastResortLoads,
                           long backupFailures, long backupRepairsPending, long backupCopiesRepaired,
                           long backupRepairsDropped, long hotHits,
                           long hotCopiesHeld, long hotKeysWithCopiesOut,
                           long invalidationsSent, long invalidationsReceived, long invalidationFailures,
                           long hintsPending, long hintsDelivered, long hintsDropped, long writesOutcomeUnknown) {
}
