package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.netty.channel.EventLoopGroup;
import io.ringcache.node.hot.HotKeySettings;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.PeerClient;
import io.ringcache.node.peer.Transports;
import io.ringcache.node.peer.proto.Entry;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Transfer;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.ring.Membership;
import io.ringcache.node.ring.RingSettings;
import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.ForwardingStore;
import io.ringcache.node.store.Store;
import io.ringcache.node.store.Stores;
import io.ringcache.node.store.TimeSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hand-off batch is judged against this node's ring, and the ring may change while the batch is being stored. The
 * hand-off of that change works out what this node must pass on from the entries it holds when it looks: an entry
 * stored after that look, for a key the new ring gives to another member, would be passed on by nobody, and the
 * next ring change would drop it as a leftover, while its sender, told it was kept, dropped its own copy.
 */
class HandOverDuringRingChangeTest {

    private static final String SELF = "127.0.0.1:1";
    private static final String SENDER = "127.0.0.1:2";
    private static final String JOINING = "127.0.0.1:3";

    private EventLoopGroup loops;
    private PeerClient client;

    @AfterEach
    void stop() {
        client.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void anEntryWhoseKeyTheRingGaveToAnotherMemberWhileItWasStoredIsRefusedAndNotKept() throws Exception {
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, SENDER));
        HashRing before = membership.ring();
        HashRing after = before.withMembers(List.of(SELF, SENDER, JOINING));
        String key = null;
        for (int i = 0; key == null; i++) {
            if (before.owner("key-" + i).equals(SELF) && after.owner("key-" + i).equals(JOINING)) {
                key = "key-" + i;
            }
        }
        String moving = key;
        GroupSettings settings = GroupSettings.defaults("kv");
        Store store = new ChangingRingOnPut(Stores.create(EvictionPolicyName.LRU, settings.maxBytes(), EntryCharge.BYTES,
                TimeSource.SYSTEM), () -> membership.update(after.members()));
        LocalGroup local = new LocalGroup(settings, store, null, Limits.DEFAULTS, TimeSource.SYSTEM);
        loops = Transports.newEventLoops(1, "receiver");
        client = new PeerClient(loops, 1, 1 << 20, Duration.ofSeconds(1));
        HotKeySettings noHotKeys = new HotKeySettings(false, HotKeySettings.DEFAULT_THRESHOLD,
                HotKeySettings.DEFAULT_TTL, HotKeySettings.DEFAULT_BUDGET_FRACTION);
        Group group = new Group(local, new Cluster(membership, client, Duration.ofSeconds(1), 0), noHotKeys,
                TimeSource.SYSTEM, 1_000);
        GroupPeerService service = new GroupPeerService(new Groups(List.of(group)), membership, member -> false);

        PeerResponse response = service.handle(PeerRequest.newBuilder().setFrom(SENDER)
                .setTransfer(Transfer.newBuilder().setKeepsRefused(true).addEntries(Entry.newBuilder()
                        .setGroup("kv").setKey(moving).setValue(ByteString.copyFrom("v", UTF_8)).setVersion(5)))
                .build(), Deadline.NONE).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(membership.ring().owner(moving)).as("the ring changed as the entry was stored").isEqualTo(JOINING);
        assertThat(response.getAck().getRefusedList()).as("refused: its sender keeps it").containsExactly(0);
        assertThat(local.mainStore().peek(moving)).as("not left here, where nothing would pass it on").isNull();
    }

    /** A store that changes the ring, once, just before it stores its first entry. */
    private static final class ChangingRingOnPut extends ForwardingStore {

        private Runnable change;

        ChangingRingOnPut(Store store, Runnable change) {
            super(store);
            this.change = change;
        }

        @Override
        public void put(String key, byte[] value, long expiresAtMillis, long version) {
            if (change != null) {
                Runnable now = change;
                change = null;
                now.run();
            }
            super.put(key, value, expiresAtMillis, version);
        }
    }
}
