package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.Transports;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A clear (FLUSHDB) reaches the members one by one, and an owner invalidates no copy when it clears: a member that
 * has cleared must not keep a hot copy of a value older than its clear, which an owner that has not cleared yet may
 * still answer.
 */
class HotCopyAfterClearTest {

    private static final String SELF = "127.0.0.1:1";
    private static final int MAX_FRAME = 1 << 20;
    private static final long CLEAR_VERSION = 1_000_000;

    /** The version the owner answers with. */
    private final AtomicLong answeredVersion = new AtomicLong();
    private EventLoopGroup loops;
    private AnsweringMember owner;
    private PeerClient client;
    private Group group;
    private String key;

    @BeforeEach
    void start() throws Exception {
        loops = Transports.newEventLoops(1, "hot-after-clear");
        // An owner that has not applied the clear yet: it answers every GET with a value it marks hot.
        owner = new AnsweringMember(loops, "v", true, answeredVersion::get);
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, owner.member()));
        client = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(5));
        GroupSettings settings = GroupSettings.defaults("kv");
        LocalGroup local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(),
                EntryCharge.BYTES, TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        HotKeySettings hotKeys = new HotKeySettings(true, HotKeySettings.DEFAULT_THRESHOLD, HotKeySettings.DEFAULT_TTL,
                HotKeySettings.DEFAULT_BUDGET_FRACTION);
        group = new Group(local, new Cluster(membership, client, Duration.ofSeconds(5), 0), hotKeys,
                TimeSource.SYSTEM, 1_000);
        for (int i = 0; key == null; i++) {
            if (!membership.ring().owner("k-" + i).equals(SELF)) {
                key = "k-" + i;
            }
        }
        group.clearHere(CLEAR_VERSION, Deadline.NONE).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (owner != null) {
            owner.close();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCopyOfAValueOlderThanTheClearIsNotKept() throws Exception {
        answeredVersion.set(CLEAR_VERSION - 1);
        readTwice();
        assertThat(owner.gets()).as("both reads went to the owner: no copy kept").isEqualTo(2);
    }

    @Test
    void aCopyOfAValueWrittenAfterTheClearIsKept() throws Exception {
        answeredVersion.set(CLEAR_VERSION + 1);
        readTwice();
        assertThat(owner.gets()).as("the second read was served from the copy").isEqualTo(1);
    }

    private void readTwice() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThat(group.get(key).get(5, TimeUnit.SECONDS)).hasValueSatisfying(
                    value -> assertThat(new String(value, UTF_8)).isEqualTo("v"));
        }
    }
}
