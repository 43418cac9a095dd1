package io.ringcache.node.cluster;

import io.ringcache.node.ring.HashRing;
import java.util.ArrayList;
import java.util.List;

/**
 * A member started beside a cluster's running ones whose own ring does not list it yet (its endpoint is not ready in
 * its own view): it refuses what is handed to it until it hears of itself. Hand-off tests start one to hold entries
 * on their sender while the rings differ.
 *
 * @param index the member's index in the cluster
 * @param with the running members and this one, in the order a ring update lists them
 * @param after the ring of {@code with}
 */
record UnlistedJoiner(int index, List<String> with, HashRing after) {

    static UnlistedJoiner start(TestCluster cluster) {
        List<String> before = cluster.runningMembers();
        int joining = cluster.startOnPeerPort(0);
        cluster.node(joining).membership().update(before);
        List<String> with = new ArrayList<>(before);
        with.add(cluster.node(joining).membership().self());
        return new UnlistedJoiner(joining, List.copyOf(with), cluster.node(0).membership().ring().withMembers(with));
    }

    /** The first {@code count} keys, of the form {@code key-N}, that member 0 owns now and this member will own. */
    List<String> keysMovingFromMemberZero(TestCluster cluster, int count) {
        String self = with.get(with.size() - 1);
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < count; i++) {
            String key = "key-" + i;
            if (cluster.ownerOf(key) == 0 && after.owner(key).equals(self)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
