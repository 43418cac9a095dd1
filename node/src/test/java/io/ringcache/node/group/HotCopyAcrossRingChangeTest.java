package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A read routed by one ring snapshot while a ring change lands must not keep a hot copy of the answer: the change
 * cleared this node's copies, and the member the old ring names may own the key no more, so no write of the key would
 * invalidate the copy.
 */
class HotCopyAcrossRingChangeTest {

    private static final String SELF = "127.0.0.1:1";
    private static final int MAX_FRAME = 1 << 20;

    private final AtomicLong clockOffset = new AtomicLong();
    /** Run once by the next reading of the clock: the ring change, landing inside a read. */
    private final AtomicReference<Runnable> onNextClockRead = new AtomicReference<>();
    private EventLoopGroup loops;
    private AnsweringMember oldOwner;
    private AnsweringMember newOwner;
    private PeerClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        for (AnsweringMember server : new AnsweringMember[] {oldOwner, newOwner}) {
            if (server != null) {
                server.close();
            }
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReadThatARingChangeOvertakesKeepsNoCopyOfTheOldOwnersAnswer() throws Exception {
        loops = Transports.newEventLoops(1, "hot-across-change");
        // Its value expires in a minute: a copy of it is dropped once its expiry passes on this node's clock.
        oldOwner = new AnsweringMember(loops, "old", true, () -> 1, () -> System.currentTimeMillis() + 60_000);
        newOwner = new AnsweringMember(loops, "new", false, () -> 1);
        String oldMember = oldOwner.member();
        String newMember = newOwner.member();
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, oldMember));
        HashRing grown = membership.ring().withMembers(List.of(SELF, oldMember, newMember));
        String key = null;
        for (int i = 0; key == null; i++) {
            if (membership.ring().owner("k-" + i).equals(oldMember) && grown.owner("k-" + i).equals(newMember)) {
                key = "k-" + i;
            }
        }
        client = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(5));
        GroupSettings settings = GroupSettings.defaults("kv");
        LocalGroup local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(),
                EntryCharge.BYTES, TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        HotKeySettings hotKeys = new HotKeySettings(true, HotKeySettings.DEFAULT_THRESHOLD, Duration.ofSeconds(5),
                HotKeySettings.DEFAULT_BUDGET_FRACTION);
        TimeSource clock = () -> {
            Runnable hook = onNextClockRead.getAndSet(null);
            if (hook != null) {
                hook.run();
            }
            return System.currentTimeMillis() + clockOffset.get();
        };
        Group group = new Group(local, new Cluster(membership, client, Duration.ofSeconds(5), 0), hotKeys, clock,
                1_000);

        assertThat(read(group, key)).isEqualTo("old");
        assertThat(read(group, key)).as("served from the hot copy").isEqualTo("old");
        assertThat(oldOwner.gets()).isEqualTo(1);

        // The copy's value expires; the next read, routed by the old ring, finds it expired (reading the clock), and
        // the new member joins right then.
        clockOffset.addAndGet(120_000);
        onNextClockRead.set(() -> membership.update(grown.members()));
        read(group, key);

        assertThat(read(group, key)).as("the new owner's value, not a copy of the old owner's").isEqualTo("new");
        assertThat(newOwner.gets()).as("every read after the change").isEqualTo(2);
    }

    private static String read(Group group, String key) throws Exception {
        return group.get(key).get(5, TimeUnit.SECONDS).map(bytes -> new String(bytes, UTF_8)).orElse(null);
    }
}
