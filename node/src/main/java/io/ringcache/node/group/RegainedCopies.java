package io.ringcache.node.group;

import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.store.StoredValue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The copies this node held when it came back into its ring after a moment out of it (its readiness flapped, and
 * discovery left it out). While it was out, the members that owned its keys meanwhile took their writes, and hand them
 * back in their own time: until then a copy held here from before may be older than theirs. Served, it is a stale
 * read; incremented, its new version is newer than theirs, which then arrive and are refused: their writes are lost.
 *
 * <p>So, after such a return ({@link Membership.Change#returned()}), a copy held from before it (its version is no
 * newer than the newest this node had given or seen when it noticed the return) is not trusted at once: a read or
 * read-modify-write of the key asks its previous owner first, as a miss does ({@link PreviousOwners}), and the newer
 * of the two versions is kept. A key is asked about until its previous owner answers once; a key whose previous owner
 * is asked no more (it finished handing over, or is gone) is trusted as it is. This lasts {@link #HORIZON} at most.
 *
 * <p>The return is noticed by the first look after the ring that it made is in place, whether a request's or the
 * change's listener's, which runs only after requests already route by that ring; the listener also lets the doubt go
 * when the node holds nothing. A node that never left its ring pays two volatile reads per read.
 *
 * <p>A key deleted on its owner meanwhile: the previous owner's "not found" carries the version of the latest removal
 * of the key it remembers ({@code LocalGroup.removedVersion}), and a copy older than it is dropped here; and apart from
 * it, the version of a written value it evicted for room ({@code LocalGroup.evictedVersion}): a copy older than that
 * is dropped too, a copy of that very write is kept. A delete, expiry, eviction of a written value or clear is
 * remembered for a minute there, so one made longer before the question is not seen, and the copy held here stays.
 * The keys asked about are remembered until the horizon: at most the keys held then.
 */
final class RegainedCopies {

    /** How long after a return copies held from before it are asked about: as long as previous owners are asked. */
    static final Duration HORIZON = PreviousOwners.EARLIER_CHANGES_HORIZON;

    private final Membership membership;
    /** The newest version this node has given or seen. */
    private final LongSupplier newestVersion;
    /**
     * How many entries this node holds, read as a change's listeners run: a return holding none (a new pod's first
     * ring, as discovery lists a pod only once it is ready) doubts nothing, not even the entries handed to it later.
     */
    private final LongSupplier heldEntries;
    /** The ring last looked at for a return. */
    private volatile HashRing examined;
    /** The number of the change that made {@link #examined}. */
    private long examinedChange;
    /** The last return into the ring within {@link #HORIZON}, or {@code null}. */
    private final AtomicReference<Return> last = new AtomicReference<>();

    RegainedCopies(Membership membership, LongSupplier newestVersion, LongSupplier heldEntries) {
        this.membership = membership;
        this.newestVersion = newestVersion;
        this.heldEntries = heldEntries;
        Membership.NumberedRing now = membership.numberedRing();
        this.examined = now.ring();
        this.examinedChange = now.change();
        membership.onChange((before, after) -> changed());
    }

    /** Whether {@code held}, this node's copy of {@code key}, may be older than its previous owner's. */
    boolean mayBeOlder(String key, StoredValue held) {
        if (membership.ring() != examined) {
            examine();
        }
        Return r = last.get();
        if (r == null) {
            return false;
        }
        if (membership.nanosSince(r.change) >= HORIZON.toNanos()) {
            // Not a return noticed meanwhile.
            last.compareAndSet(r, null);
            return false;
        }
        return held.version() <= r.newestVersionBefore && !r.settled.contains(key);
    }

    /** The return in place now, to pass to {@link #settled} once the question asked now is answered. */
    Object current() {
        return last.get();
    }

    /**
     * The copy of {@code key} held here need not be asked about again: the previous owner answered a question asked
     * while {@code asked} was the return in place ({@link #current}), and the newer copy is kept here, or there was
     * none to ask. Not if another return came since: the key may have been written meanwhile elsewhere again.
     */
    void settled(String key, Object asked) {
        Return r = last.get();
        if (r != null && r == asked) {
            r.settled.add(key);
        }
    }

    /**
     * As a change's listeners run, soon after its ring is in place (a first look may have noticed the return already):
     * with nothing held, there is nothing to doubt.
     */
    private void changed() {
        if (membership.ring() != examined) {
            examine();
        }
        Return r = last.get();
        if (r != null && heldEntries.getAsLong() == 0) {
            last.compareAndSet(r, null);
        }
    }

    /** Looks at the changes since the ring last looked at for a return, newest first. */
    private synchronized void examine() {
        Membership.NumberedRing now = membership.numberedRing();
        if (now.change() == examinedChange) {
            return;
        }
        for (Membership.Change c : membership.recentChanges()) {
            if (c.number() > now.change()) {
                continue; // made after the ring read above: the next look takes it
            }
            if (c.number() <= examinedChange) {
                break;
            }
            if (c.returned()) {
                last.set(new Return(c, newestVersion.getAsLong(), ConcurrentHashMap.newKeySet()));
                break;
            }
        }
        examinedChange = now.change();
        examined = now.ring();
    }

    /**
     * @param change the change that brought this node back
     * @param newestVersionBefore the newest version this node had given or seen when it noticed the return
     * @param settled the keys not to ask about again ({@link #settled})
     */
    private record Return(Membership.Change change, long newestVersionBefore, Set<String> settled) {
    }
}
