package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ringcache.node.peer.Deadline;
import io.ringcache.node.peer.proto.Get;
import io.ringcache.node.peer.proto.IncrementBy;
import io.ringcache.node.peer.proto.Mutate;
import io.ringcache.node.peer.proto.PeerError;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.PeerResponse;
import io.ringcache.node.peer.proto.Set;
import io.ringcache.node.ring.HashRing;
import io.ringcache.node.store.StoredValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node served a peer's write after the write's deadline passed (it waited that long to be served) does not apply it:
 * its sender has given up on it and told its caller it may or may not have been applied, and "not" is the answer
 * that lets the caller retry it safely.
 */
class ReceiverDeadlineTest {

    private static final String SENDER = "127.0.0.1:1";

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        cluster.group(0, "kv").put("counter", "1000".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private PeerResponse serve(PeerRequest request, Deadline deadline) throws Exception {
        return cluster.node(0).peerService().handle(request, deadline).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private String held(String key) {
        StoredValue v = cluster.group(0, "kv").local().mainStore().peek(key);
        return v == null ? null : new String(v.value(), UTF_8);
    }

    /** A key {@code from} owns now that {@code to} will own once it joins. */
    private String keyMovingFrom(String from, String to) {
        HashRing now = cluster.node(0).membership().ring();
        List<String> joined = new ArrayList<>(now.members());
        joined.add(to);
        HashRing later = now.withMembers(joined);
        for (int i = 0; i < 100_000; i++) {
            String key = "n-" + i;
            if (now.owner(key).equals(from) && later.owner(key).equals(to)) {
                return key;
            }
        }
        throw new IllegalStateException("no key moves from " + from + " to " + to);
    }

    private static PeerRequest incr(String key) {
        return PeerRequest.newBuilder().setFrom(SENDER).setMutate(Mutate.newBuilder().setGroup("kv").setKey(key)
                .setIncrementBy(IncrementBy.newBuilder().setDelta(1))).build();
    }

    private static PeerRequest set(String key, String value) {
        return PeerRequest.newBuilder().setFrom(SENDER).setSet(Set.newBuilder().setGroup("kv").setKey(key)
                .setValue(ByteString.copyFromUtf8(value))).build();
    }

    @Test
    void aReadModifyWriteServedAfterItsDeadlineIsAnsweredDeadlineExceededAndNotApplied() throws Exception {
        PeerResponse late = serve(incr("counter"), Deadline.inMillis(0));
        assertThat(late.getError().getCode()).isEqualTo(PeerError.Code.DEADLINE_EXCEEDED);
        assertThat(late.getError().getMessage()).contains("it was not applied");
        assertThat(held("counter")).isEqualTo("1000");

        assertThat(serve(incr("counter"), Deadline.inMillis(5_000)).getMutated().getNumber()).isEqualTo(1001);
        assertThat(serve(incr("counter"), Deadline.NONE).getMutated().getNumber()).isEqualTo(1002);
    }

    @Test
    void aWriteServedAfterItsDeadlineIsNotAppliedEither() throws Exception {
        PeerResponse late = serve(set("greeting", "hello"), Deadline.inMillis(0));
        assertThat(late.getError().getCode()).isEqualTo(PeerError.Code.DEADLINE_EXCEEDED);
        assertThat(held("greeting")).isNull();

        assertThat(serve(set("greeting", "hello"), Deadline.inMillis(5_000)).hasAck()).isTrue();
        assertThat(held("greeting")).isEqualTo("hello");
    }

    @Test
    void aMutationWhoseDeadlinePassesWhileTheNewOwnerAsksThePreviousOneIsNotApplied() throws Exception {
        try (CuttableLink toPrevious = new CuttableLink(); CuttableLink toNew = new CuttableLink()) {
            int previous = cluster.startBehind(toPrevious, Map.of("ringcache.peer-timeout", "500ms"));
            cluster.joinAll();
            String key = keyMovingFrom(cluster.node(previous).membership().self(), "127.0.0.1:" + toNew.port());
            cluster.group(0, "kv").put(key, "1000".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            // No hand-off reaches the new owner, and its question to the previous one goes unanswered.
            toNew.cut();
            int fresh = cluster.startBehind(toNew, Map.of("ringcache.peer-timeout", "500ms"));
            toPrevious.hold();
            cluster.joinAll();
            assertThat(cluster.ownerOf(key)).isEqualTo(fresh);

            PeerResponse late = cluster.node(fresh).peerService().handle(incr(key), Deadline.inMillis(200))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(late.getError().getCode()).isEqualTo(PeerError.Code.DEADLINE_EXCEEDED);
            assertThat(cluster.group(fresh, "kv").local().mainStore().peek(key)).isNull();
            toPrevious.release();
        }
    }

    @Test
    void aReadIsAnsweredWhateverItsDeadline() throws Exception {
        PeerRequest get = PeerRequest.newBuilder().setFrom(SENDER)
                .setGet(Get.newBuilder().setGroup("kv").setKey("counter")).build();
        assertThat(serve(get, Deadline.inMillis(0)).getValue().getValue().toStringUtf8()).isEqualTo("1000");
    }
}
