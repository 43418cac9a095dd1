package io.ringcache.node.ring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * An immutable consistent-hash ring: each member owns {@code vnodes} points, labelled with the decimal
 * index followed by the member id (as groupcache labels them), and a key belongs to the first point at or
 * after its own hash, wrapping around. The same members give the same ring whatever order they come in.
 *
 * <p>Lookups allocate nothing with {@link RingHash#XXH3}: one hash and a binary search over a sorted
 * {@code long[]}. Two points with the same hash (vanishingly rare with 64 bits) go to the member whose id
 * sorts first, so every node resolves the tie alike.
 */
public final class HashRing {

    private final List<String> members;
    private final RingHash hash;
    private final int vnodes;
    /** Points' hashes, ascending. */
    private final long[] points;
    /** {@code pointOwners[i]} indexes {@link #members} for {@code points[i]}. */
    private final int[] pointOwners;

    private HashRing(List<String> members, RingHash hash, int vnodes, long[] points, int[] pointOwners) {
        this.members = members;
        this.hash = hash;
        this.vnodes = vnodes;
        this.points = points;
        this.pointOwners = pointOwners;
    }

    /**
     * Builds the ring of {@code members} (duplicates are dropped).
     *
     * @param vnodes points per member, at least 1
     */
    public static HashRing of(Collection<String> members, RingHash hash, int vnodes) {
        if (vnodes < 1) {
            throw new IllegalArgumentException("vnodes must be at least 1, was " + vnodes);
        }
        List<String> sorted = List.copyOf(new TreeSet<>(members));
        int n = sorted.size() * vnodes;
        long[] hashes = new long[n];
        int[] owners = new int[n];
        Integer[] order = new Integer[n];
        for (int m = 0; m < sorted.size(); m++) {
            for (int v = 0; v < vnodes; v++) {
                int i = m * vnodes + v;
                hashes[i] = hash.hash(v + sorted.get(m));
                owners[i] = m;
                order[i] = i;
            }
        }
        // Ties go to the member that sorts first: members are sorted, so the lower owner index.
        Arrays.sort(order, (a, b) -> hashes[a] != hashes[b] ? Long.compare(hashes[a], hashes[b])
                : Integer.compare(owners[a], owners[b]));
        long[] points = new long[n];
        int[] pointOwners = new int[n];
        for (int i = 0; i < n; i++) {
            points[i] = hashes[order[i]];
            pointOwners[i] = owners[order[i]];
        }
        return new HashRing(sorted, hash, vnodes, points, pointOwners);
    }

    /** The members, sorted. */
    public List<String> members() {
        return members;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public boolean contains(String member) {
        return members.contains(member);
    }

    /**
     * The member that owns {@code key}.
     *
     * @throws IllegalStateException when the ring has no members
     */
    public String owner(String key) {
        if (members.size() == 1) {
            // A lone member owns every key: no hash, no search (a single node serves every request this way).
            return members.get(0);
        }
        return members.get(pointOwners[pointFor(key)]);
    }

    /**
     * Up to {@code n} distinct members for {@code key}: its owner first, then the next distinct members
     * clockwise. These are where a key and its backups live.
     */
    public List<String> owners(String key, int n) {
        int wanted = Math.min(n, members.size());
        if (wanted == 1 && members.size() == 1) {
            return members;
        }
        List<String> result = new ArrayList<>(wanted);
        if (wanted == 0) {
            return result;
        }
        boolean[] taken = new boolean[members.size()];
        for (int i = pointFor(key), seen = 0; result.size() < wanted && seen < points.length; i = (i + 1) % points.length, seen++) {
            int owner = pointOwners[i];
            if (!taken[owner]) {
                taken[owner] = true;
                result.add(members.get(owner));
            }
        }
        return result;
    }

    /** A ring with the same hash and vnodes over {@code newMembers}. */
    public HashRing withMembers(Collection<String> newMembers) {
        return of(newMembers, hash, vnodes);
    }

    private int pointFor(String key) {
        if (points.length == 0) {
            throw new IllegalStateException("the ring has no members");
        }
        long h = hash.hash(key);
        int i = Arrays.binarySearch(points, h);
        if (i < 0) {
            i = -i - 1;
        } else {
            // binarySearch may land on any of equal points; the first one decides.
            while (i > 0 && points[i - 1] == h) {
                i--;
            }
        }
        return i == points.length ? 0 : i;
    }

    @Override
    public String toString() {
        return "HashRing" + members + " (" + vnodes + " vnodes each)";
    }
}
