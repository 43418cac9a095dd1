package io.ringcache.node.ring;

import java.util.List;
import java.util.Objects;

/**
 * How the ring is built; every node of a cluster must use the same values, or they disagree about owners.
 *
 * @param hash the hash placing keys and virtual nodes
 * @param vnodes virtual nodes (points) per member
 */
public record RingSettings(RingHash hash, int vnodes) {

    public static final int DEFAULT_VNODES = 160;
    public static final RingSettings DEFAULTS = new RingSettings(RingHash.XXH3, DEFAULT_VNODES);

    public RingSettings {
        Objects.requireNonNull(hash, "hash");
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes must be at least 1, was " + vnodes);
        }
    }

    /** An empty ring built with these settings. */
    public HashRing emptyRing() {
        return HashRing.of(List.of(), hash, vnodes);
    }
}
