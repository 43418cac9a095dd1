package io.ringcache.node.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.Ack;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hints recorded while delivery rounds are answered, on other threads: however they interleave, every key
 * written here keeps its turn until its owner has its newest version.
 */
class StandInHintsRacesTest {

    private static final int MAX_FRAME = 1 << 20;
    private static final String SELF = "127.0.0.1:1";
    private static final int KEYS = 64;

    private EventLoopGroup loops;
    private PeerServer owner;
    private PeerClient client;
    private Membership membership;
    private StandInHints hints;
    private ExecutorService writers;

    @BeforeEach
    void start() throws Exception {
        loops = Transports.newEventLoops(2, "hint-races-test");
        owner = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> CompletableFuture.completedFuture(
                PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build()), loops);
        membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, "127.0.0.1:" + owner.port()));
        client = new PeerClient(loops, 2, MAX_FRAME, Duration.ofSeconds(1));
        Cluster cluster = new Cluster(membership, client, Duration.ofSeconds(2), 0);
        LocalGroup local = new LocalGroup(new GroupSettings("kv", 8 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5)),
                Stores.create(EvictionPolicyName.LRU, 8 << 20, EntryCharge.BYTES, TimeSource.SYSTEM), null,
                Limits.DEFAULTS, TimeSource.SYSTEM);
        hints = new StandInHints(local, cluster);
        writers = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
        client.close();
        owner.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aKeyWrittenAgainWhileItsHintIsAnsweredIsNeverLeftWithoutATurn() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < KEYS; i++) {
            if (!membership.ring().owner("k-" + i).equals(SELF)) {
                keys.add("k-" + i);
            }
        }
        AtomicLong versions = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            running.add(writers.submit(() -> {
                for (int i = 0; i < 100_000_000 && System.nanoTime() < until; i++) {
                    hints.record(keys.get(i % KEYS), versions.incrementAndGet());
                }
            }));
        }
        // Rounds run while the writers record the same keys again and again, each answered on an event loop.
        for (int round = 0; round < 1_000_000 && System.nanoTime() < until; round++) {
            hints.deliver().get(5, TimeUnit.SECONDS);
        }
        for (Future<?> writer : running) {
            writer.get(5, TimeUnit.SECONDS);
        }

        // Nothing is written any more: a few rounds deliver every key's last version.
        for (int round = 0; round < 10 && hints.pending() > 0; round++) {
            hints.deliver().get(5, TimeUnit.SECONDS);
        }
        assertThat(hints.pending()).as("keys waiting without a turn").isZero();
    }

    /**
     * Discovery listing nobody for a moment (every endpoint unready) empties the ring: the hints wait for an owner
     * instead of being settled as if this node owned every key, and reach the owner once it is back in the ring.
     */
    @Test
    void anEmptyRingKeepsTheHintsForTheOwnerToComeBack() throws Exception {
        List<String> members = membership.ring().members();
        String key = null;
        for (int i = 0; key == null; i++) {
            if (!membership.ring().owner("k-" + i).equals(SELF)) {
                key = "k-" + i;
            }
        }
        hints.record(key, 7);

        membership.update(List.of());
        hints.deliver().get(5, TimeUnit.SECONDS);
        assertThat(hints.isPending(key)).as("kept while the ring is empty").isTrue();

        membership.update(members);
        hints.deliver().get(5, TimeUnit.SECONDS);
        assertThat(hints.isPending(key)).as("delivered to the owner").isFalse();
        assertThat(hints.delivered()).isEqualTo(1);
    }
}
