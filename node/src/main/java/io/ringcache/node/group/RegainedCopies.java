package io.ringcache.node.group;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The copies this node held when it came back into its ring after a moment out of it (its readiness flapped, and
 * discovery left it out). While it was out, the members that owned its keys meanwhile took their writes, and hand them
 * back in their own time: until then a copy held here from before may be older than theirs. Served, it is a stale
 * read; incremented, its new version is newer than theirs, which then arrive and are refused: their writes are lost.
 *
 * <p>So, after such a return, a copy held from before it (its version is no newer than the newest this node had given
 * or seen then) is not trusted at once: the first read or read-modify-write of the key asks its previous owner, as a
 * miss does ({@link PreviousOwners}), and the newer of the two versions is kept. Each key is asked about once; a key
 * whose previous owner is asked no more (finished handing over, or gone) is trusted as it is. This lasts
 * {@link #HORIZON} at most. A node that never left its ring, the common case, pays one volatile read per read.
 *
 * <p>Not covered: a key deleted on its owner meanwhile. The previous owner's "not found" carries no version, so the
 * copy held here stays.
 */
final class RegainedCopies {

    /** How long after a return copies held from before it are asked about: as long as previous owners are asked. */
    static final Duration HORIZON = PreviousOwners.EARLIER_CHANGES_HORIZON;

    private final LongSupplier nanoClock;
    /** The last return into the ring within {@link #HORIZON}, or {@code null}. */
    private volatile Return last;

    RegainedCopies(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * A ring change of the node {@code self}: a return when the ring before was not empty, did not list it, and the
     * ring after does, while the node holds entries.
     *
     * @param newestVersion the newest version this node has given or seen: every copy held now is no newer
     */
    void onChange(HashRing before, HashRing after, String self, boolean holdsEntries, long newestVersion) {
        if (holdsEntries && !before.isEmpty() && !before.contains(self) && after.contains(self)) {
            last = new Return(newestVersion, nanoClock.getAsLong(), ConcurrentHashMap.newKeySet());
        }
    }

    /** Whether {@code held}, this node's copy of {@code key}, may be older than its previous owner's. */
    boolean mayBeOlder(String key, StoredValue held) {
        Return r = last;
        if (r == null) {
            return false;
        }
        if (nanoClock.getAsLong() - r.atNanos >= HORIZON.toNanos()) {
            last = null;
            return false;
        }
        return held.version() <= r.newestVersionBefore && !r.checked.contains(key);
    }

    /** The copy of {@code key} held here was checked against its previous owner's (or there was none to ask). */
    void checked(String key) {
        Return r = last;
        if (r != null) {
            r.checked.add(key);
        }
    }

    /**
     * @param newestVersionBefore the newest version this node had given or seen at the return
     * @param atNanos when it happened, on {@link #nanoClock}
     * @param checked the keys asked about since
     */
    private record Return(long newestVersionBefore, long atNanos, Set<String> checked) {
    }
}
