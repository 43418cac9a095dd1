package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.PeerServer;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.NotFound;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two members back in their rings, each the other's previous owner of a key both hold: asked about it by the other
 * while asking the other itself, a member answers from memory, instead of asking again, round and round.
 */
class RegainedPeekCycleTest {

    private static final String SELF = "127.0.0.1:1";

    private EventLoopGroup loops;
    private PeerServer other;
    private PeerClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (other != null) {
            other.close();
        }
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void aMemberAskedAboutAKeyItIsAskingAboutAnswersFromMemory() throws Exception {
        loops = Transports.newEventLoops(1, "regained-peek-cycle");
        Group[] group = new Group[1];
        AtomicInteger peeks = new AtomicInteger();
        // The other member, back in its ring too, asks this node about the key before it answers.
        other = PeerServer.start("127.0.0.1", 0, 1 << 20, (request, deadline) -> {
            peeks.incrementAndGet();
            return group[0].owner().serveGet("127.0.0.1:" + other.port(), request.getGet().getKey(), true)
                    .orTimeout(3, TimeUnit.SECONDS)
                    .handle((served, error) -> PeerResponse.newBuilder()
                            .setNotFound(NotFound.getDefaultInstance()).build());
        }, loops);
        String otherMember = "127.0.0.1:" + other.port();
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, otherMember));
        String key = null;
        for (int i = 0; key == null; i++) {
            key = membership.ring().owner("k-" + i).equals(SELF) ? "k-" + i : null;
        }
        client = new PeerClient(loops, 1, 1 << 20, Duration.ofSeconds(5));
        GroupSettings settings = GroupSettings.defaults("kv");
        LocalGroup local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(),
                EntryCharge.BYTES, TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        HotKeySettings noHotKeys = new HotKeySettings(false, HotKeySettings.DEFAULT_THRESHOLD,
                HotKeySettings.DEFAULT_TTL, HotKeySettings.DEFAULT_BUDGET_FRACTION);
        group[0] = new Group(local, new Cluster(membership, client, Duration.ofSeconds(5), 0), noHotKeys,
                TimeSource.SYSTEM, 1_000);
        local.put(key, "held".getBytes(UTF_8), Optional.empty());
        // Out of its ring for a moment, and back: the other member owned the key meanwhile.
        membership.update(List.of(otherMember));
        membership.update(List.of(SELF, otherMember));

        Optional<byte[]> read = group[0].get(key).get(10, TimeUnit.SECONDS);

        assertThat(read).map(b -> new String(b, UTF_8)).contains("held");
        assertThat(peeks).as("asked once, not round and round").hasValue(1);
    }
}
