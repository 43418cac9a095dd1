package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.ringcache.node.peer.proto.NotFound;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A member asking the key's previous owner about a copy it holds (back in its ring) or about a miss is told that
 * owner's latest delete and eviction apart, over the wire: after a delete it drops its copy and refuses the deleted
 * write, as always; after an eviction for room only copies older than the evicted write, whose own copy it keeps or
 * takes back, as the previous owner does. An answer from, or to, a member from before the two were told apart works
 * as before.
 */
class RegainedCopiesToldOfEvictionsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    /** The key's previous owner, whose store evicts for room after a few small entries. */
    private final LocalGroup answering = group(LocalGroupEvictedWritesTest.BUDGET_BYTES);
    /** The member that asks it, with room enough. */
    private final LocalGroup asking = group(1 << 20);

    private LocalGroup group(long budget) {
        return new LocalGroup(
                new GroupSettings("kv", budget, EvictionPolicyName.LRU, Optional.empty(), Optional.empty(),
                        Duration.ofSeconds(5)),
                Stores.create(EvictionPolicyName.LRU, budget, EntryCharge.BYTES, now::get), null, Limits.DEFAULTS,
                now::get);
    }

    /** {@link #answering} answering a peek for a key it does not hold, through the bytes a peer sends. */
    private PreviousHolder answeringOverTheWire() {
        return key -> {
            NotFound sent = PeerCalls.notFound(answering.removedVersion(key), answering.evictedVersion(key));
            try {
                return CompletableFuture.completedFuture(PeerCalls.heldOf(NotFound.parseFrom(sent.toByteArray())));
            } catch (InvalidProtocolBufferException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    private boolean copied(String key, long version) {
        return asking.putEntryIfNewer(key, "copy".getBytes(UTF_8), StoredValue.NEVER, version);
    }

    private void askAbout(String key) throws Exception {
        asking.takeNewerFromPreviousHolder(key, answeringOverTheWire()).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCopyOfTheVeryWriteEvictedThereHeldHereIsKept() throws Exception {
        long evicted = LocalGroupEvictedWritesTest.writeTwiceThenEvict(answering, "k").evicted();
        assertThat(copied("k", evicted)).isTrue();

        askAbout("k");
        assertThat(asking.getHeld("k")).as("as new as the write evicted there").isNotNull()
                .extracting(StoredValue::version).isEqualTo(evicted);
    }

    @Test
    void aCopyOfTheVeryWriteEvictedThereArrivingAfterAMissAskedIsTakenBack() throws Exception {
        long evicted = LocalGroupEvictedWritesTest.writeTwiceThenEvict(answering, "k").evicted();

        assertThat(asking.getEntry("k", answeringOverTheWire()).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(copied("k", evicted)).as("a backup's copy of the evicted write").isTrue();
        askAbout("k");
        assertThat(asking.getHeld("k")).as("asked about again, as back in its ring").isNotNull();
    }

    @Test
    void aCopyOlderThanTheWriteEvictedThereIsDroppedAndRefusedWhenItArrivesLater() throws Exception {
        LocalGroupEvictedWritesTest.Writes held = LocalGroupEvictedWritesTest.writeTwiceThenEvict(answering, "held");
        LocalGroupEvictedWritesTest.Writes missed =
                LocalGroupEvictedWritesTest.writeTwiceThenEvict(answering, "missed");
        assertThat(copied("held", held.older())).isTrue();

        askAbout("held");
        assertThat(asking.getHeld("held")).as("older than the write evicted there").isNull();
        assertThat(copied("held", held.older())).as("arriving again").isFalse();
        assertThat(asking.getEntry("missed", answeringOverTheWire()).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(copied("missed", missed.older())).isFalse();
        assertThat(copied("missed", missed.evicted())).as("the evicted write itself").isTrue();
    }

    @Test
    void aCopyOfAWriteDeletedThereIsDroppedAndTheDeletedWriteRefusedAsBefore() throws Exception {
        long written = answering.putEntry("k", "written".getBytes(UTF_8), StoredValue.NEVER);
        long deleted = answering.delete("k").version();
        assertThat(copied("k", written)).isTrue();

        askAbout("k");
        assertThat(asking.getHeld("k")).isNull();
        assertThat(copied("k", written)).isFalse();
        assertThat(copied("k", deleted)).as("as new as the delete").isFalse();
    }

    @Test
    void aDeleteAtTheVersionOfAnEvictionIsToldAsTheDeleteItIs() {
        // Versions of different members may meet: the delete's rule, which refuses that version too, wins.
        PreviousHolder.Held told = PeerCalls.heldOf(PeerCalls.notFound(7, 7));
        assertThat(told.removedVersion()).isEqualTo(7);
        assertThat(told.evictedVersion()).isEqualTo(StoredValue.UNVERSIONED);
        told = PeerCalls.heldOf(PeerCalls.notFound(9, 7));
        assertThat(told.removedVersion()).as("a delete after the eviction").isEqualTo(9);
        assertThat(told.evictedVersion()).isEqualTo(StoredValue.UNVERSIONED);
    }

    @Test
    void aMemberFromBeforeEvictionsWereToldApartReadsOneAsARemovalAndItsRemovalsAreReadAsBefore() {
        NotFound eviction = PeerCalls.notFound(3, 7);
        assertThat(eviction.getRemovedVersion()).as("what an older asking member reads: it drops older copies")
                .isEqualTo(7);
        NotFound fromOlderMember = NotFound.newBuilder().setRemovedVersion(7).build();
        PreviousHolder.Held told = PeerCalls.heldOf(fromOlderMember);
        assertThat(told.removedVersion()).as("taken as a removal, as before").isEqualTo(7);
        assertThat(told.evictedVersion()).isEqualTo(StoredValue.UNVERSIONED);
        assertThat(PeerCalls.heldOf(NotFound.getDefaultInstance())).isEqualTo(PreviousHolder.Held.NOTHING);
    }
}
