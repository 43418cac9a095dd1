package io.ringcache.node.group;

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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One delivery round sends at most {@value StandInHints#BATCH} keys and about {@value StandInHints#ROUND_BYTES}
 * bytes of values, to an owner that here takes the calls and never answers (so every hint stays).
 */
class StandInHintsPacingTest {

    private static final int MAX_FRAME = 8 << 20;
    private static final String SELF = "127.0.0.1:1";

    private final List<PeerRequest> received = new CopyOnWriteArrayList<>();
    private EventLoopGroup loops;
    private PeerServer silentOwner;
    private PeerClient client;
    private LocalGroup local;
    private StandInHints hints;
    private Membership membership;

    @BeforeEach
    void start() throws Exception {
        loops = Transports.newEventLoops(1, "pacing-test");
        silentOwner = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            received.add(request);
            return new CompletableFuture<PeerResponse>();
        }, loops);
        membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, "127.0.0.1:" + silentOwner.port()));
        client = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(1));
        Cluster cluster = new Cluster(membership, client, Duration.ofMillis(500), 0);
        local = new LocalGroup(new GroupSettings("kv", 64 << 20, EvictionPolicyName.LRU, Optional.empty(),
                Optional.empty(), Duration.ofSeconds(5)),
                Stores.create(EvictionPolicyName.LRU, 64 << 20, EntryCharge.BYTES, TimeSource.SYSTEM), null,
                Limits.DEFAULTS, TimeSource.SYSTEM);
        hints = new StandInHints(local, cluster);
    }

    @AfterEach
    void stop() {
        client.close();
        silentOwner.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Writes {@code count} values of {@code bytes} to keys the silent owner owns, each remembered as a hint. */
    private void standInFor(int count, int bytes) {
        standInFor("127.0.0.1:" + silentOwner.port(), "k-", count, bytes);
    }

    private void standInFor(String owner, String prefix, int count, int bytes) {
        int written = 0;
        for (int i = 0; written < count; i++) {
            String key = prefix + i;
            if (membership.ring().owner(key).equals(owner)) {
                hints.record(key, local.putEntry(key, new byte[bytes], Long.MAX_VALUE));
                written++;
            }
        }
    }

    @Test
    void hintsForAnOwnerThatAnswersAreNotHeldUpBehindThoseForASilentOne() throws Exception {
        List<PeerRequest> answered = new CopyOnWriteArrayList<>();
        PeerServer answeringOwner = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            answered.add(request);
            return CompletableFuture.completedFuture(PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build());
        }, loops);
        try {
            String answering = "127.0.0.1:" + answeringOwner.port();
            membership.update(List.of(SELF, "127.0.0.1:" + silentOwner.port(), answering));
            standInFor("127.0.0.1:" + silentOwner.port(), "silent-", 3 * StandInHints.BATCH, 10);
            standInFor(answering, "answering-", 5, 10);

            // The first rounds find out who is silent; after that, that owner gets one probe per round.
            for (int round = 0; round < 5 && hints.delivered() < 5; round++) {
                hints.deliver().get(10, TimeUnit.SECONDS);
            }
            assertThat(hints.delivered()).isEqualTo(5);
            assertThat(answered).hasSize(5);
            assertThat(hints.pending()).isEqualTo(3 * StandInHints.BATCH);
        } finally {
            answeringOwner.close();
        }
    }

    @Test
    void aRoundSendsAboutItsByteBudgetOfLargeValues() throws Exception {
        standInFor(10, 1 << 20);
        hints.deliver().get(10, TimeUnit.SECONDS);
        assertThat(received).hasSize((int) (StandInHints.ROUND_BYTES >> 20));
        assertThat(hints.pending()).as("unanswered hints wait for the next round").isEqualTo(10);
    }

    @Test
    void aRoundSendsAtMostItsBatchOfKeys() throws Exception {
        standInFor(StandInHints.BATCH + 5, 10);
        hints.deliver().get(10, TimeUnit.SECONDS);
        assertThat(received).hasSize(StandInHints.BATCH);
        assertThat(hints.pending()).isEqualTo(StandInHints.BATCH + 5);
    }
}
