package io.ringcache.node.group;

import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a group needs of the cluster: this node's member id, the current ring, and calls to other nodes.
 *
 * @param membership the ring this node routes by
 * @param peers calls to other nodes
 * @param callTimeout the deadline of one call to another node
 * @param backups how many further distinct members hold a copy of each key
 */
public record Cluster(Membership membership, PeerClient peers, Duration callTimeout, int backups) {

    public Cluster {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(callTimeout, "callTimeout");
    }

    public String self() {
        return membership.self();
    }

    public HashRing ring() {
        return membership.ring();
    }

    /**
     * The members to try for {@code key}, in order: its owner, then the next distinct members clockwise, as
     * many as hold a copy with backups (at least one fallback). An empty ring (membership not known yet) is
     * taken as this node alone.
     */
    List<String> candidates(HashRing ring, String key) {
        if (ring.isEmpty()) {
            return List.of(self());
        }
        return ring.owners(key, 1 + Math.max(1, backups));
    }

    /**
     * The members holding {@code key}'s value, in order: its owner, then its backups (none without backups). Only
     * they can apply a read-modify-write: the fallback {@link #candidates} adds holds no copy. An empty ring is taken
     * as this node alone.
     */
    List<String> copyHolders(HashRing ring, String key) {
        if (ring.isEmpty()) {
            return List.of(self());
        }
        return ring.owners(key, 1 + backups);
    }

    /** Whether this node holds {@code key} as its owner or one of its backups in {@code ring}. */
    boolean keepsCopy(HashRing ring, String key) {
        return ring.isEmpty() || ring.owners(key, 1 + backups).contains(self());
    }

    /** The members other than this node that hold a backup of {@code key}. */
    List<String> backupsOf(HashRing ring, String key) {
        if (backups == 0 || ring.isEmpty()) {
            return List.of();
        }
        return ring.owners(key, 1 + backups).stream().skip(1).filter(m -> !m.equals(self())).toList();
    }
}
