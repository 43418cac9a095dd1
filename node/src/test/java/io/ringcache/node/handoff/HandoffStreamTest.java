package io.ringcache.node.handoff;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.group.Cluster;
import io.ringcache.node.group.Group;
import io.ringcache.node.group.GroupSettings;
import io.ringcache.node.group.Groups;
import io.ringcache.node.group.Limits;
import io.ringcache.node.group.LocalGroup;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.ForwardingStore;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node's hand-off, driven through its membership, against members that do not listen (what they are owed stays
 * owed) or a member that answers as the test tells it.
 */
class HandoffStreamTest {

    private static final String SELF = "127.0.0.1:1";
    private static final String OTHER = "127.0.0.1:2";
    private static final String SECOND = "127.0.0.1:3";
    private static final String THIRD = "127.0.0.1:4";
    /** Nobody listens here: a batch sent to it fails, and what it is owed stays owed. */
    private static final String SILENT_NEW_OWNER = "127.0.0.1:5";
    private static final GroupSettings SETTINGS = GroupSettings.defaults("kv");

    private EventLoopGroup loops;
    private PeerClient client;
    private PeerServer receiver;
    private HandoffStream handoff;

    @BeforeEach
    void startClient() {
        loops = Transports.newEventLoops(1, "handoff-test");
        client = new PeerClient(loops, 1, 1 << 20, Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() {
        if (handoff != null) {
            handoff.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        client.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /**
     * The membership's listeners hear of a ring change only after it is made, so a pass may find a later ring in
     * place than the change it was requested for. It must leave that ring to that change's pass: planned under the
     * earlier number, the later pass would plan it again from itself to itself and drop as leftovers the entries stored
     * in between that this node owned before and must hand over.
     */
    @Test
    void aPassThatFindsALaterRingLeavesItToThatChangesPassAndAnEntryStoredMeanwhileIsHandedOver() throws Exception {
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, OTHER));
        List<String> second = List.of(SELF, OTHER, SECOND);
        List<String> third = List.of(SELF, OTHER, SECOND, THIRD);
        List<String> fourth = List.of(SELF, OTHER, SECOND, THIRD, SILENT_NEW_OWNER);
        String key = keyMoving(membership.ring().withMembers(second), membership.ring().withMembers(fourth),
                SILENT_NEW_OWNER);

        // Registered before the hand-off's listener, this one runs between the fourth ring being swapped in and the
        // hand-off hearing of it: there it lets the second ring's pass go on, gives the passes queued behind it time
        // to run, and stores the entry.
        CountDownLatch secondPassPlanning = new CountDownLatch(1);
        CountDownLatch releaseSecondPass = new CountDownLatch(1);
        LocalGroup[] local = new LocalGroup[1];
        membership.onChange((before, after) -> {
            if (after.members().size() == fourth.size()) {
                releaseSecondPass.countDown();
                handoff.awaitHandedOff(Duration.ofSeconds(2));
                local[0].put(key, "kept".getBytes(UTF_8), Optional.empty());
            }
        });
        local[0] = new LocalGroup(SETTINGS, new BlockingFirstWalk(newStore(), secondPassPlanning, releaseSecondPass),
                null, Limits.DEFAULTS, TimeSource.SYSTEM);
        handoff = startHandoff(membership, local[0]);

        membership.update(second);
        assertThat(secondPassPlanning.await(10, TimeUnit.SECONDS)).as("the second ring's pass is planning").isTrue();
        membership.update(third);
        membership.update(fourth);

        // The fourth change's pass plans from the second ring, where this node owned the key, to the fourth.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> handoff.stats().entriesPending() + handoff.stats().entriesDropped() > 0);
        assertThat(handoff.stats().entriesDropped()).as("dropped as a leftover nobody hands over").isZero();
        assertThat(handoff.stats().entriesPending()).as("owed to its new owner").isEqualTo(1);
        assertThat(valueHeld(local[0], key)).isEqualTo("kept");
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).isTrue();
    }

    /**
     * A value written again while its older one was on its way (a write routed by the ring before the change) is owed
     * to the key's owners in the new ring: owed by the old one, it would be owed to nobody but this node, stay here,
     * and be dropped as a leftover at the next change.
     */
    @Test
    void aValueWrittenAgainWhileItsOlderOneWasSentIsSentToo() throws Exception {
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, OTHER));
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        List<String> received = new CopyOnWriteArrayList<>();
        receiver = PeerServer.start("127.0.0.1", 0, 1 << 20, (request, deadline) -> {
            for (Entry entry : request.getTransfer().getEntriesList()) {
                received.add(entry.getValue().toStringUtf8());
                if (received.size() == 1) {
                    local.put(entry.getKey(), "v2".getBytes(UTF_8), Optional.empty());
                }
            }
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        }, loops);
        String newOwner = "127.0.0.1:" + receiver.port();
        List<String> after = List.of(SELF, OTHER, newOwner);
        String key = keyMoving(membership.ring(), membership.ring().withMembers(after), newOwner);
        local.put(key, "v1".getBytes(UTF_8), Optional.empty());
        handoff = startHandoff(membership, local);

        membership.update(after);

        assertThat(handoff.awaitHandedOff(Duration.ofSeconds(10))).isTrue();
        assertThat(received).containsExactly("v1", "v2");
        assertThat(local.mainStore().peek(key)).as("handed over, so no longer here").isNull();
        assertThat(handoff.stats().entriesDropped()).isEqualTo(1);
    }

    /**
     * A change made by a listener of another change (as discovery and a stop can make two at once) has all its
     * listeners run before the rest of the first change's: both of the hand-off's calls then read the second change,
     * and it runs one pass for it, not two (a second would offer again, at once, whatever is still owed).
     */
    @Test
    void twoListenerCallsThatReadTheSameChangeRunOnePass() throws Exception {
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, OTHER));
        AtomicBoolean changedAgain = new AtomicBoolean();
        membership.onChange((before, after) -> {
            if (changedAgain.compareAndSet(false, true)) {
                membership.update(List.of(SELF, OTHER, SECOND, THIRD));
            }
        });
        handoff = startHandoff(membership,
                new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM));

        membership.update(List.of(SELF, OTHER, SECOND));

        assertThat(handoff.awaitHandedOff(Duration.ofSeconds(5))).isTrue();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> handoff.stats().passesCompleted() == 1);
    }

    /**
     * Two changes land while a pass is sending: the ring in between made this node the owner of a key (its owner before
     * had left), and a write of it was applied here. The next pass plans through that ring too, so the write goes to
     * the key's owner in the newest ring; planned from the ring before it, the write was dropped as a leftover that the
     * returning old owner hands over, with its older value.
     */
    @Test
    void aWriteTakenUnderARingNoPassPlannedInTimeIsHandedOverNotDropped() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch releaseSending = new CountDownLatch(1);
        String blockingOwner = startBlockingReceiver(sending, releaseSending);
        Rings rings = new Rings(blockingOwner);
        String sent = rings.keyOwnedBy(SELF, blockingOwner, blockingOwner, blockingOwner);
        String written = rings.keyOwnedBy(SECOND, SECOND, SELF, SILENT_NEW_OWNER);
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(rings.members.get(0));
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        local.put(sent, "moving".getBytes(UTF_8), Optional.empty());
        handoff = startHandoff(membership, local);

        membership.update(rings.members.get(1));
        assertThat(sending.await(10, TimeUnit.SECONDS)).as("the second ring's pass is sending").isTrue();
        membership.update(rings.members.get(2));
        local.put(written, "written-under-the-third-ring".getBytes(UTF_8), Optional.empty());
        membership.update(rings.members.get(3));
        releaseSending.countDown();

        awaitPlanned(membership);
        assertThat(valueHeld(local, written)).as("not dropped").isEqualTo("written-under-the-third-ring");
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).as("owed to its owner in the fourth ring").isTrue();
    }

    /**
     * As above, with more changes landing while the pass sends than the membership remembers: the hand-off keeps the
     * ring of every change it has not planned, so the one ring that gave this node the key is still a step.
     */
    @Test
    void aWriteTakenUnderARingTheMembershipNoLongerRemembersIsHandedOverNotDropped() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch releaseSending = new CountDownLatch(1);
        String blockingOwner = startBlockingReceiver(sending, releaseSending);
        List<String> secondBack = List.of(SELF, OTHER, SECOND, blockingOwner);
        List<String> withThird = List.of(SELF, OTHER, SECOND, blockingOwner, THIRD);
        List<List<String>> changes = new ArrayList<>(List.of(List.of(SELF, OTHER, SECOND),
                List.of(SELF, OTHER, SECOND, blockingOwner), List.of(SELF, OTHER, blockingOwner), secondBack));
        for (int i = 0; i < Membership.RECENT_CHANGES; i++) {
            changes.add(i % 2 == 0 ? withThird : secondBack);
        }
        changes.add(List.of(SELF, OTHER, SECOND, blockingOwner, SILENT_NEW_OWNER));
        Rings rings = new Rings(changes);
        String[] owners = new String[changes.size()];
        // The key's owner is SECOND throughout, but for this node in the third ring and the silent member in the last.
        Arrays.fill(owners, SECOND);
        owners[2] = SELF;
        owners[changes.size() - 1] = SILENT_NEW_OWNER;
        String written = rings.keyOwnedBy(owners);
        String sent = rings.keyOwnedByAtLeast(Map.of(0, SELF, 1, blockingOwner));
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(changes.get(0));
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        local.put(sent, "moving".getBytes(UTF_8), Optional.empty());
        handoff = startHandoff(membership, local);

        membership.update(changes.get(1));
        assertThat(sending.await(10, TimeUnit.SECONDS)).as("the second ring's pass is sending").isTrue();
        membership.update(changes.get(2));
        local.put(written, "written-under-the-third-ring".getBytes(UTF_8), Optional.empty());
        for (List<String> next : changes.subList(3, changes.size())) {
            membership.update(next);
        }
        releaseSending.countDown();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> planned(membership, changes.size()));
        assertThat(valueHeld(local, written)).as("not dropped").isEqualTo("written-under-the-third-ring");
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).as("owed to its owner in the last ring").isTrue();
    }

    /**
     * The same write, stored while the second ring's pass walks the store: that pass plans a ring that is no longer in
     * place, so it must not drop what it finds there as a leftover (it used to); the fourth ring's pass decides.
     */
    @Test
    void aPassPlanningARingNoLongerInPlaceDropsNothing() throws Exception {
        Rings rings = new Rings(THIRD);
        String written = rings.keyOwnedBy(SECOND, SECOND, SELF, SILENT_NEW_OWNER);
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(rings.members.get(0));
        CountDownLatch planning = new CountDownLatch(1);
        CountDownLatch releasePlanning = new CountDownLatch(1);
        LocalGroup local = new LocalGroup(SETTINGS, new BlockingFirstWalk(newStore(), planning, releasePlanning),
                null, Limits.DEFAULTS, TimeSource.SYSTEM);
        handoff = startHandoff(membership, local);

        membership.update(rings.members.get(1));
        assertThat(planning.await(10, TimeUnit.SECONDS)).as("the second ring's pass is planning").isTrue();
        membership.update(rings.members.get(2));
        local.put(written, "written-under-the-third-ring".getBytes(UTF_8), Optional.empty());
        membership.update(rings.members.get(3));
        releasePlanning.countDown();

        awaitPlanned(membership);
        assertThat(valueHeld(local, written)).as("not dropped").isEqualTo("written-under-the-third-ring");
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).as("owed to its owner in the fourth ring").isTrue();
        assertThat(handoff.stats().entriesDropped()).isZero();
    }

    /**
     * A write applied here in its silent owner's place leaves its copy in the store, under the key's write lock, and
     * records its hint after. A pass planning in between must keep that copy: dropped as a leftover (the pass found no
     * hint, then waited for the lock), the write was lost, and the hint, finding nothing here, deleted the key on its
     * owner.
     */
    @Test
    void aWriteAppliedInItsOwnersPlaceIsKeptByAPassPlanningBeforeItsHintIsRecorded() throws Exception {
        List<String> before = List.of(SELF, SILENT_NEW_OWNER);
        List<String> after = List.of(SELF, SILENT_NEW_OWNER, THIRD);
        String key = new Rings(List.of(before, after)).keyOwnedBy(SILENT_NEW_OWNER, SILENT_NEW_OWNER);
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(before);
        // Once the write has stored its value, still holding the key's lock: the ring changes, and the write goes on
        // only once the pass has planned, or waits for that lock to drop the value.
        Runnable planWhileStored = () -> {
            membership.update(after);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> planned(membership, 2) || handoffWorkerBlocked());
        };
        LocalGroup local = new LocalGroup(SETTINGS, new OnFirstPut(newStore(), () -> { }, planWhileStored), null,
                Limits.DEFAULTS, TimeSource.SYSTEM);
        Group group = newGroup(membership, local);
        handoff = startHandoff(membership, group);

        // Its owner refuses connections: this node, the key's next member, applies the write in its place.
        group.put(key, "only-copy".getBytes(UTF_8), Optional.empty()).get(15, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> planned(membership, 2));

        assertThat(valueHeld(local, key)).as("not dropped as a leftover").isEqualTo("only-copy");
        assertThat(group.holdsHintFor(key)).as("its hint waits for the owner").isTrue();
        assertThat(handoff.stats().entriesDropped()).isZero();
    }

    /**
     * A write applied here as the key's owner, whose ring changes to give the key to another member before the write
     * is stored: the pass for that change planned without it, so it is a stand-in's write, remembered for the new
     * owner; else it would stay here, owed to nobody, until a later pass dropped it as a leftover.
     */
    @Test
    void aWriteWhoseKeyMovesAwayBeforeItIsStoredIsHintedToTheNewOwner() throws Exception {
        List<String> before = List.of(SELF, OTHER);
        List<String> after = List.of(SELF, OTHER, SILENT_NEW_OWNER);
        String key = new Rings(List.of(before, after)).keyOwnedBy(SELF, SILENT_NEW_OWNER);
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(before);
        Runnable changeBeforeStoring = () -> {
            membership.update(after);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> planned(membership, 2));
        };
        LocalGroup local = new LocalGroup(SETTINGS, new OnFirstPut(newStore(), changeBeforeStoring, () -> { }), null,
                Limits.DEFAULTS, TimeSource.SYSTEM);
        Group group = newGroup(membership, local);
        handoff = startHandoff(membership, group);

        group.put(key, "moved-away".getBytes(UTF_8), Optional.empty()).get(15, TimeUnit.SECONDS);

        assertThat(valueHeld(local, key)).isEqualTo("moved-away");
        assertThat(group.holdsHintFor(key)).as("remembered for its new owner").isTrue();
    }

    /**
     * This node, the key's owner, leaves; its backup, the key's owner from then on, missed the copy of the key's last
     * write (it refused connections then). It is sent the key, as every new owner is when this node leaves the key's
     * owners; as an old owner it used to be sent nothing, and the copy here was dropped.
     */
    @Test
    void aLeavingOwnerHandsTheKeyToTheBackupThatMissedItsLastWrite() throws Exception {
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, SILENT_NEW_OWNER));
        String key = new Rings(List.of(List.of(SELF, SILENT_NEW_OWNER))).keyOwnedBy(SELF);
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        Group group = newGroup(membership, local, 1);
        handoff = startHandoff(membership, group, 1);
        group.put(key, "last".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);

        membership.leave();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> planned(membership, 2));
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).as("owed to the backup that missed it").isTrue();
        assertThat(valueHeld(local, key)).as("kept until it takes it").isEqualTo("last");
    }

    /**
     * Leaving a key's owners, this node sends the key to every new owner once: one that acknowledged it is not offered
     * it again at a later change while another still owes it (offered late, an old value could come back after the
     * new owner forgot a delete of it).
     */
    @Test
    void aNewOwnerThatAcknowledgedAKeyIsNotOfferedItAgainAtTheNextChange() throws Exception {
        List<String> transfers = new CopyOnWriteArrayList<>();
        String answering = startRecordingReceiver(transfers);
        List<String> before = List.of(SELF, answering, SILENT_NEW_OWNER);
        List<String> left = List.of(answering, SILENT_NEW_OWNER);
        List<String> grown = List.of(answering, SILENT_NEW_OWNER, THIRD);
        HashRing empty = RingSettings.DEFAULTS.emptyRing();
        String key = null;
        for (int i = 0; key == null; i++) {
            String k = "key-" + i;
            boolean moves = empty.withMembers(before).owners(k, 2).equals(List.of(SELF, answering))
                    && empty.withMembers(left).owners(k, 2).equals(List.of(answering, SILENT_NEW_OWNER))
                    && empty.withMembers(grown).owners(k, 2).equals(List.of(answering, SILENT_NEW_OWNER));
            key = moves ? k : null;
        }
        Membership membership = new Membership(SELF, empty);
        membership.update(before);
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        local.put(key, "v".getBytes(UTF_8), Optional.empty());
        Group group = newGroup(membership, local, 1);
        handoff = startHandoff(membership, group, 1);

        membership.leave();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> transfers.size() == 1);
        membership.update(grown);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> planned(membership, 3) && handoff.stats().batchesFailed() >= 2);

        assertThat(transfers).as("offered once").containsExactly(key);
        assertThat(handoff.owesEntriesTo(SILENT_NEW_OWNER)).isTrue();
    }

    /**
     * A key still owed to a new owner from a change this node stayed through (here a silent one) is sent to every new
     * owner, old backups included, at the change where this node leaves its owners.
     */
    @Test
    void aKeyStillOwedWhenThisNodeLeavesItsOwnersGoesToItsOldBackupsToo() throws Exception {
        List<String> transfers = new CopyOnWriteArrayList<>();
        String answering = startRecordingReceiver(transfers);
        HashRing empty = RingSettings.DEFAULTS.emptyRing();
        HashRing first = empty.withMembers(List.of(SELF, answering, THIRD));
        HashRing second = empty.withMembers(List.of(SELF, answering, THIRD, SILENT_NEW_OWNER));
        String key = null;
        for (int i = 0; key == null; i++) {
            String k = "key-" + i;
            List<String> owners = second.owners(k, 3);
            boolean fits = first.owner(k).equals(SELF) && owners.get(0).equals(SELF)
                    && Set.copyOf(owners).equals(Set.of(SELF, answering, SILENT_NEW_OWNER));
            key = fits ? k : null;
        }
        Membership membership = new Membership(SELF, empty);
        membership.update(first.members());
        LocalGroup local = new LocalGroup(SETTINGS, newStore(), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        local.put(key, "v".getBytes(UTF_8), Optional.empty());
        Group group = newGroup(membership, local, 2);
        handoff = startHandoff(membership, group, 2);

        membership.update(second.members());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> handoff.stats().batchesFailed() >= 1);
        membership.leave();

        String owed = key;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> transfers.contains(owed));
        assertThat(transfers).as("sent once, at the leave").containsExactly(owed);
    }

    /** Whether the hand-off has worked out what the membership's change number {@code change} moves. */
    private boolean planned(Membership membership, long change) {
        return membership.changes() == change && !handoff.owesEntriesTo("127.0.0.1:9");
    }

    private static boolean handoffWorkerBlocked() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(
                t -> t.getName().equals("ringcache-handoff") && t.getState() == Thread.State.BLOCKED);
    }

    /** Waits until the hand-off has worked out what the membership's fourth change moves. */
    private void awaitPlanned(Membership membership) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> planned(membership, 4));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rings in the order a test swaps them in. */
    private static final class Rings {

        final List<List<String>> members;
        private final List<HashRing> rings;

        Rings(List<List<String>> members) {
            this.members = members;
            HashRing empty = RingSettings.DEFAULTS.emptyRing();
            rings = members.stream().map(empty::withMembers).toList();
        }

        /**
         * Three members; {@code joining} joins; {@link #SECOND} leaves, giving some of its keys to this node; it comes
         * back, with {@link #SILENT_NEW_OWNER}.
         */
        Rings(String joining) {
            this(List.of(List.of(SELF, OTHER, SECOND), List.of(SELF, OTHER, SECOND, joining),
                    List.of(SELF, OTHER, joining), List.of(SELF, OTHER, SECOND, joining, SILENT_NEW_OWNER)));
        }

        /** A key whose owners in the rings at the given positions are the ones given. */
        String keyOwnedByAtLeast(Map<Integer, String> owners) {
            for (int i = 0; i < 100_000; i++) {
                String key = "key-" + i;
                if (owners.entrySet().stream().allMatch(o -> rings.get(o.getKey()).owner(key).equals(o.getValue()))) {
                    return key;
                }
            }
            throw new IllegalStateException("no key is owned as " + owners);
        }

        /** A key whose owner in each ring, in order, is the one given. */
        String keyOwnedBy(String... owners) {
            for (int i = 0; i < 100_000; i++) {
                String key = "key-" + i;
                boolean matches = true;
                for (int r = 0; r < rings.size() && matches; r++) {
                    matches = rings.get(r).owner(key).equals(owners[r]);
                }
                if (matches) {
                    return key;
                }
            }
            throw new IllegalStateException("no key is owned in turn by " + List.of(owners));
        }
    }

    private static Store newStore() {
        return Stores.create(EvictionPolicyName.LRU, SETTINGS.maxBytes(), EntryCharge.BYTES, TimeSource.SYSTEM);
    }

    private HandoffStream startHandoff(Membership membership, LocalGroup local) {
        return startHandoff(membership, newGroup(membership, local));
    }

    private Group newGroup(Membership membership, LocalGroup local) {
        return newGroup(membership, local, 0);
    }

    private Group newGroup(Membership membership, LocalGroup local, int backups) {
        HotKeySettings noHotKeys = new HotKeySettings(false, HotKeySettings.DEFAULT_THRESHOLD,
                HotKeySettings.DEFAULT_TTL, HotKeySettings.DEFAULT_BUDGET_FRACTION);
        return new Group(local, new Cluster(membership, client, Duration.ofSeconds(1), backups), noHotKeys,
                TimeSource.SYSTEM, 1_000);
    }

    private HandoffStream startHandoff(Membership membership, Group group) {
        return startHandoff(membership, group, 0);
    }

    private HandoffStream startHandoff(Membership membership, Group group, int backups) {
        return new HandoffStream(new Groups(List.of(group)), membership, client, backups, HandoffSettings.DEFAULTS,
                Duration.ofSeconds(1), TimeSource.SYSTEM);
    }

    /**
     * Starts {@link #receiver} as a member that counts down {@code sending} at each request and answers it once
     * {@code release} is counted down; returns its member id.
     */
    private String startBlockingReceiver(CountDownLatch sending, CountDownLatch release) throws InterruptedException {
        receiver = PeerServer.start("127.0.0.1", 0, 1 << 20, (request, deadline) -> {
            sending.countDown();
            return CompletableFuture.supplyAsync(() -> {
                awaitQuietly(release);
                return PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build();
            });
        }, loops);
        return "127.0.0.1:" + receiver.port();
    }

    /** Starts {@link #receiver} as a member that takes every transfer, adding its keys to {@code keys}. */
    private String startRecordingReceiver(List<String> keys) throws InterruptedException {
        receiver = PeerServer.start("127.0.0.1", 0, 1 << 20, (request, deadline) -> {
            request.getTransfer().getEntriesList().forEach(e -> keys.add(e.getKey()));
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        }, loops);
        return "127.0.0.1:" + receiver.port();
    }

    /** A key this node owns in {@code from} and {@code newOwner} owns in {@code to}. */
    private static String keyMoving(HashRing from, HashRing to, String newOwner) {
        for (int i = 0; i < 100_000; i++) {
            if (from.owner("key-" + i).equals(SELF) && to.owner("key-" + i).equals(newOwner)) {
                return "key-" + i;
            }
        }
        throw new IllegalStateException("no key moves from " + SELF + " to " + newOwner);
    }

    private static String valueHeld(LocalGroup local, String key) {
        StoredValue held = local.mainStore().peek(key);
        return held == null ? null : new String(held.value(), UTF_8);
    }

    /** A store that runs something as its first put begins, and something once it has stored its value. */
    private static final class OnFirstPut extends ForwardingStore {

        private final AtomicBoolean first = new AtomicBoolean(true);
        private final Runnable beforeStoring;
        private final Runnable afterStoring;

        OnFirstPut(Store store, Runnable beforeStoring, Runnable afterStoring) {
            super(store);
            this.beforeStoring = beforeStoring;
            this.afterStoring = afterStoring;
        }

        @Override
        public void put(String key, byte[] value, long expiresAtMillis, long version) {
            boolean isFirst = first.compareAndSet(true, false);
            if (isFirst) {
                beforeStoring.run();
            }
            super.put(key, value, expiresAtMillis, version);
            if (isFirst) {
                afterStoring.run();
            }
        }
    }

    /** A store whose first walk over its entries (the first pass's plan) waits until it is released. */
    private static final class BlockingFirstWalk extends ForwardingStore {

        private final CountDownLatch walking;
        private final CountDownLatch release;

        BlockingFirstWalk(Store store, CountDownLatch walking, CountDownLatch release) {
            super(store);
            this.walking = walking;
            this.release = release;
        }

        @Override
        public void forEachEntry(BiConsumer<String, StoredValue> action) {
            if (walking.getCount() > 0) {
                walking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.forEachEntry(action);
        }
    }
}
