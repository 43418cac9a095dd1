package io.ringcache.node.group;

import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Versions by key, each remembered for a fixed time after it was noted, of the latest notes only: past the bound, the
 * oldest note is forgotten first. {@link LocalGroup}'s memories of removals and of evictions.
 *
 * <p>Not a Caffeine cache bounded by size: once full, Caffeine admits a new key only if it was looked up more often
 * than the one it would push out, so it forgot each key just noted (the removal a late copy is most likely to be
 * older than) and kept those noted up to the full time before. A full store under writes notes an eviction on almost
 * every put: 100,000 in a minute is under 2,000 a second.
 *
 * <p>Who may touch what: a note replaces its key's record in {@link #byKey} and queues the same record in
 * {@link #inOrder}, so the queue holds the records oldest first, and those replaced since (a key noted again counts
 * once per note). One thread at a time ({@link #forgetting}) takes the oldest records off the queue while there are
 * more than the bound, and a few whose time is up, and each out of the map unless its key was noted again since. Reads
 * look in the map only, and see past a record whose time is up.
 */
final class RecentVersions {

    /**
     * How many records whose time is up a note takes off at most, besides those over the bound: more than the one it
     * adds, so a backlog goes while notes come, and few, as a note is made under the store's lock (an eviction) or a
     * key's: the first note after a quiet minute does not pay for the whole memory.
     */
    static final int EXPIRED_PER_NOTE = 2;

    private final long memoryMillis;
    private final int maxNotes;
    private final TimeSource time;
    private final ConcurrentHashMap<String, Note> byKey = new ConcurrentHashMap<>();
    /** The records of the notes counted, oldest first. */
    private final ConcurrentLinkedQueue<Note> inOrder = new ConcurrentLinkedQueue<>();
    /** The size of {@link #inOrder}, which the queue itself counts only by walking it. */
    private final AtomicInteger queued = new AtomicInteger();
    /** Held by the one thread taking records off {@link #inOrder}: a peek and the poll after it find the same one. */
    private final AtomicBoolean forgetting = new AtomicBoolean();

    RecentVersions(Duration memory, int maxNotes, TimeSource time) {
        this.memoryMillis = memory.toMillis();
        this.maxNotes = maxNotes;
        this.time = Objects.requireNonNull(time, "time");
    }

    /**
     * Notes {@code version} of {@code key} for the full time from now. A max, never back: of two notes of a key, told
     * in either order (the sweep tells of an expiry outside the key's lock), the newer version stands.
     */
    void note(String key, long version) {
        long now = time.nowMillis();
        byKey.compute(key, (k, before) -> {
            Note note = new Note(k, before == null || isOver(before, now) ? version : Math.max(before.version, version),
                    now);
            // Queued inside the compute: a key's records are queued in the order they replace each other in the map.
            inOrder.add(note);
            return note;
        });
        queued.incrementAndGet();
        forgetOldest(now);
    }

    /** The version remembered of {@code key}; {@code null} when none is. */
    Long versionOf(String key) {
        Note note = byKey.get(key);
        return note == null || isOver(note, time.nowMillis()) ? null : note.version;
    }

    /** How many records the memory holds, including those whose time is up and those replaced since; for tests. */
    int notesHeld() {
        return queued.get();
    }

    private void forgetOldest(long now) {
        if (!forgetting.compareAndSet(false, true)) {
            return; // the thread at it reads the count again after each record, and the next note looks too
        }
        try {
            int expiredTaken = 0;
            Note oldest;
            while ((oldest = inOrder.peek()) != null) {
                if (queued.get() <= maxNotes) {
                    if (expiredTaken == EXPIRED_PER_NOTE || !isOver(oldest, now)) {
                        break;
                    }
                    expiredTaken++;
                }
                inOrder.poll();
                queued.decrementAndGet();
                byKey.remove(oldest.key, oldest);
            }
        } finally {
            forgetting.set(false);
        }
    }

    private boolean isOver(Note note, long now) {
        return now - note.atMillis >= memoryMillis;
    }

    /** A note: compared by identity, so that only the map's record of a key takes it out of the map. */
    private static final class Note {
        final String key;
        final long version;
        final long atMillis;

        Note(String key, long version, long atMillis) {
            this.key = key;
            this.version = version;
            this.atMillis = atMillis;
        }
    }
}
