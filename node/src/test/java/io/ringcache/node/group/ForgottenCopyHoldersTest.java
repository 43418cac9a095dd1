package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.ringcache.node.hot.HotKeySettings;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An owner remembers a bounded number of keys' copy holders. The key pushed out for room has its copies invalidated
 * at once; a write of that key then finds no holders, and must still not be acknowledged before those invalidations
 * are answered, or the holder could serve the old value after the write returned.
 */
class ForgottenCopyHoldersTest {

    private static final String SELF = "127.0.0.1:1";
    private static final int MAX_FRAME = 1 << 20;

    private final List<String> invalidated = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<PeerResponse>> unanswered = new CopyOnWriteArrayList<>();
    private EventLoopGroup loops;
    private PeerServer holder;
    private PeerClient client;

    @AfterEach
    void stop() {
        unanswered.forEach(answer -> answer.complete(ack()));
        if (client != null) {
            client.close();
        }
        if (holder != null) {
            holder.close();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWriteOfAKeyWhoseHoldersWereForgottenWaitsForTheirInvalidation() throws Exception {
        loops = Transports.newEventLoops(1, "forgotten-holders");
        // The holder of the copies answers invalidations only when the test says so.
        holder = PeerServer.start("127.0.0.1", 0, MAX_FRAME, (request, deadline) -> {
            if (!request.hasInvalidate()) {
                return CompletableFuture.completedFuture(ack());
            }
            invalidated.add(request.getInvalidate().getKey());
            CompletableFuture<PeerResponse> answer = new CompletableFuture<>();
            unanswered.add(answer);
            return answer;
        }, loops);
        String holderMember = "127.0.0.1:" + holder.port();
        Membership membership = new Membership(SELF, RingSettings.DEFAULTS.emptyRing());
        membership.update(List.of(SELF, holderMember));
        client = new PeerClient(loops, 1, MAX_FRAME, Duration.ofSeconds(10));
        GroupSettings settings = GroupSettings.defaults("kv");
        LocalGroup local = new LocalGroup(settings, Stores.create(EvictionPolicyName.LRU, settings.maxBytes(),
                EntryCharge.BYTES, TimeSource.SYSTEM), null, Limits.DEFAULTS, TimeSource.SYSTEM);
        HotKeySettings hotKeys = new HotKeySettings(true, 5, HotKeySettings.DEFAULT_TTL,
                HotKeySettings.DEFAULT_BUDGET_FRACTION);
        // Room for one key's holders.
        Group group = new Group(local, new Cluster(membership, client, Duration.ofSeconds(10), 0), hotKeys,
                TimeSource.SYSTEM, 1);

        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 2; i++) {
            if (membership.ring().owner("k-" + i).equals(SELF)) {
                keys.add("k-" + i);
                local.put("k-" + i, "old".getBytes(UTF_8), Optional.empty());
            }
        }
        for (String key : keys) {
            handOutHotCopy(group, key, holderMember);
        }
        // Two keys' holders in room for one: one key's record is pushed out and its copy invalidated.
        await().atMost(Duration.ofSeconds(5)).until(() -> !invalidated.isEmpty());
        String forgotten = invalidated.get(0);

        CompletableFuture<Void> write = group.put(forgotten, "new".getBytes(UTF_8), Optional.empty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !write.isDone());

        unanswered.forEach(answer -> answer.complete(ack()));
        write.get(5, TimeUnit.SECONDS);
    }

    /** Asks for {@code key} as {@code member} until the owner hands out a hot copy. */
    private static void handOutHotCopy(Group group, String key, String member) throws Exception {
        for (int i = 0; i < 1_000; i++) {
            if (group.owner().serveGet(member, key, false).get(5, TimeUnit.SECONDS).hot()) {
                return;
            }
        }
        throw new AssertionError("the owner never handed out a hot copy of " + key);
    }

    private static PeerResponse ack() {
        return PeerResponse.newBuilder().setAck(Ack.getDefaultInstance()).build();
    }
}
