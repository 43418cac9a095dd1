package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.Ack;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a round sends to a backup that missed copies, and when a key stops waiting. */
class BackupRepairsTest {

    private static final int MAX_FRAME = 1 << 20;
    private static final String SELF = "127.0.0.1:1";

    private EventLoopGroup loops;
    private PeerServer backup;
    private PeerClient client;
    private Membership membership;
    private LocalGroup local;
    private BackupRepairs repairs;
    private String backupMember;
    /** The copies the backup received, as their requests. */
    private final List<PeerRequest> received = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong();
    /** Run as each copy arrives, before it is answered. */
    private volatile Consumer<PeerRequest> onCopy = request -> { };

    @BeforeEach
    void start() throws Exception {
        loops = Transports.newEventLoops(1, "backup-repairs-test");
        backup = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            received.add(request);
            onCopy.accept(request);
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        }, loops);
        backupMember = "127.0.0.1:" + backup.port();
        membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing(), nanos::get);
        membership.update(List.of(SELF, backupMember));
        client = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(1));
        GroupSettings settings = GroupSettings.defaults("kv");
        local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(), EntryCharge.BYTES,
                TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        repairs = new BackupRepairs(local, new Cluster(membership, client, Duration.ofSeconds(1), 1));
    }

    @AfterEach
    void stop() {
        client.close();
        backup.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void theBackupGetsWhatTheOwnerHoldsNowOrADeleteWhenItHoldsNothing() throws Exception {
        String held = ownedKey("held-");
        String gone = ownedKey("gone-");
        long version = local.putEntry(held, "now".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(held, version - 1, false, backupMember);
        repairs.missed(gone, 42, true, backupMember);

        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).hasSize(2);
        PeerRequest put = received.stream().filter(PeerRequest::hasSet).findFirst().orElseThrow();
        assertThat(put.getSet().getKey()).isEqualTo(held);
        assertThat(put.getSet().getValue().toStringUtf8()).isEqualTo("now");
        assertThat(put.getSet().getVersion()).as("the version held, not the one missed").isEqualTo(version);
        assertThat(put.getSet().getBackup()).isTrue();
        PeerRequest delete = received.stream().filter(PeerRequest::hasDelete).findFirst().orElseThrow();
        assertThat(delete.getDelete().getKey()).isEqualTo(gone);
        assertThat(delete.getDelete().getVersion()).isEqualTo(42);
        assertThat(repairs.pending()).isZero();
        assertThat(repairs.repaired()).isEqualTo(2);
    }

    /** A write missed while the older copy is on its way waits for the next round, which sends it too. */
    @Test
    void aWriteMissedWhileTheCopyIsOnItsWayIsSentInTheNextRound() throws Exception {
        String key = ownedKey("k-");
        long first = local.putEntry(key, "v1".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(key, first, false, backupMember);
        onCopy = request -> {
            onCopy = r -> { };
            long second = local.putEntry(key, "v2".getBytes(UTF_8), Long.MAX_VALUE);
            repairs.missed(key, second, false, backupMember);
        };

        repairs.deliver().get(5, TimeUnit.SECONDS);
        assertThat(repairs.pending()).as("v2 still missed").isEqualTo(1);
        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).extracting(r -> r.getSet().getValue().toStringUtf8()).containsExactly("v1", "v2");
        assertThat(repairs.pending()).isZero();
    }

    /** With two backups: the second misses a copy while the first's is on its way; it gets its turn. */
    @Test
    void aSecondBackupMissingTheKeyWhileTheFirstIsSentItGetsItToo() throws Exception {
        List<PeerRequest> secondReceived = new CopyOnWriteArrayList<>();
        PeerServer second = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            secondReceived.add(request);
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        }, loops);
        try {
            String secondMember = "127.0.0.1:" + second.port();
            membership.update(List.of(SELF, backupMember, secondMember));
            repairs = new BackupRepairs(local, new Cluster(membership, client, Duration.ofSeconds(1), 2));
            String key = ownedKey("k-");
            long version = local.putEntry(key, "v".getBytes(UTF_8), Long.MAX_VALUE);
            repairs.missed(key, version, false, backupMember);
            onCopy = request -> {
                onCopy = r -> { };
                repairs.missed(key, version, false, secondMember);
            };

            repairs.deliver().get(5, TimeUnit.SECONDS);
            repairs.deliver().get(5, TimeUnit.SECONDS);

            assertThat(received).hasSize(1);
            assertThat(secondReceived).hasSize(1);
            assertThat(repairs.pending()).isZero();
        } finally {
            second.close();
        }
    }

    /**
     * A member that stays one of the key's owners after a ring change (here: this node leaves, and the backup owns the
     * key) is still sent it while this node holds it.
     */
    @Test
    void aBackupThatBecomesTheOwnerIsStillSentWhatItMissed() throws Exception {
        String key = ownedKey("k-");
        long version = local.putEntry(key, "v".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(key, version, false, backupMember);
        membership.leave();

        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).hasSize(1);
        assertThat(repairs.pending()).isZero();
    }

    /**
     * Once this node no longer owns the key, it sends it only for a while after the change that took the key from it:
     * the owner remembers its own deletes for a minute, so a copy sent later could bring back a key it deleted.
     */
    @Test
    void aNonOwnerGivesUpWhatABackupMissedAfterTheHold() throws Exception {
        String silent = "127.0.0.1:9";
        membership.update(List.of(SELF, silent));
        repairs = new BackupRepairs(local, new Cluster(membership, client, Duration.ofSeconds(1), 1));
        String key = ownedKey("k-");
        long version = local.putEntry(key, "v".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(key, version, false, silent);
        nanos.addAndGet(BackupRepairs.NON_OWNER_HOLD.toNanos());
        membership.leave();

        repairs.deliver().get(5, TimeUnit.SECONDS);
        assertThat(repairs.pending()).as("the hold counts from the change, not from the miss").isEqualTo(1);
        nanos.addAndGet(BackupRepairs.NON_OWNER_HOLD.toNanos());
        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(repairs.pending()).as("given up").isZero();
    }

    /**
     * A stand-in (with two backups, the key's first backup applying a write in its silent owner's place) never owned
     * the key: what the other backup missed is sent from the miss on, however long ago the ring last changed.
     */
    @Test
    void aStandInRepairsTheOtherBackup() throws Exception {
        String silentOwner = "127.0.0.1:9";
        membership.update(List.of(SELF, backupMember, silentOwner));
        repairs = new BackupRepairs(local, new Cluster(membership, client, Duration.ofSeconds(1), 2));
        String key = null;
        for (int i = 0; key == null; i++) {
            List<String> owners = membership.ring().owners("k-" + i, 3);
            key = owners.equals(List.of(silentOwner, SELF, backupMember)) ? "k-" + i : null;
        }
        nanos.addAndGet(10 * BackupRepairs.NON_OWNER_HOLD.toNanos());
        long version = local.putEntry(key, "v".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(key, version, false, backupMember);

        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).hasSize(1);
        assertThat(repairs.pending()).isZero();
    }

    /** A delete the backup missed reaches it from this node after it left the key's owners too. */
    @Test
    void aMissedDeleteIsSentByAFormerOwner() throws Exception {
        String key = ownedKey("k-");
        repairs.missed(key, 42, true, backupMember);
        membership.leave();

        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).hasSize(1);
        assertThat(received.get(0).getDelete().getVersion()).isEqualTo(42);
        assertThat(repairs.pending()).isZero();
    }

    /**
     * A key waiting for a silent backup, already probed this round through another key, and for one that answers, is
     * sent once to the latter; it used to be taken again and again in the same round, and sent each time.
     */
    @Test
    void aKeyIsTakenOnceARoundWhateverItsBackups() throws Exception {
        String silent = "127.0.0.1:9";
        membership.update(List.of(SELF, backupMember, silent));
        repairs = new BackupRepairs(local, new Cluster(membership, client, Duration.ofSeconds(1), 2));
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 2; i++) {
            if (membership.ring().owner("k-" + i).equals(SELF)) {
                keys.add("k-" + i);
            }
        }
        long first = local.putEntry(keys.get(0), "v".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(keys.get(0), first, false, silent);
        repairs.deliver().get(5, TimeUnit.SECONDS);
        long version = local.putEntry(keys.get(1), "v".getBytes(UTF_8), Long.MAX_VALUE);
        repairs.missed(keys.get(1), version, false, silent);
        repairs.missed(keys.get(1), version, false, backupMember);

        repairs.deliver().get(5, TimeUnit.SECONDS);

        assertThat(received).as("sent once").hasSize(1);
        assertThat(repairs.pending()).as("both still wait for the silent one").isEqualTo(2);
    }

    @Test
    void aBackupThatIsNoLongerAnOwnerOfTheKeyStopsWaiting() throws Exception {
        String key = ownedKey("k-");
        repairs.missed(key, 7, false, backupMember);
        membership.update(List.of(SELF));
        repairs.deliver().get(5, TimeUnit.SECONDS);
        assertThat(received).isEmpty();
        assertThat(repairs.pending()).isZero();
    }

    @Test
    void overTheBoundAMissedCopyIsDroppedAndCounted() {
        for (int i = 0; i < BackupRepairs.MAX_KEYS; i++) {
            repairs.missed("k-" + i, 1, false, backupMember);
        }
        repairs.missed("one-more", 1, false, backupMember);
        assertThat(repairs.pending()).isEqualTo(BackupRepairs.MAX_KEYS);
        assertThat(repairs.dropped()).isEqualTo(1);
    }

    private String ownedKey(String prefix) {
        for (int i = 0; ; i++) {
            if (membership.ring().owner(prefix + i).equals(SELF)) {
                return prefix + i;
            }
        }
    }
}
