package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ringcache.node.group.Mutation;
import io.ringcache.node.peer.proto.PeerRequest;
import io.ringcache.node.peer.proto.Ping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node out of its ring for a moment (readiness flapping) comes back holding copies its hand-off could not deliver,
 * while the member that owned those keys meanwhile took newer writes of them. Until that member hands them back, the
 * returning owner must not serve its older copies, nor increment them (which would refuse the newer writes when they
 * arrive, losing them).
 */
class RegainedCopiesTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aNodeBackInItsRingAsksWhoHeldItsKeysMeanwhileBeforeServingOrIncrementingThem() throws Exception {
        cluster = TestCluster.start(1, Map.of("ringcache.groups.kv.max-bytes", "8M"));
        try (CuttableLink link = new CuttableLink()) {
            int other = cluster.startBehind(link);
            cluster.joinAll();
            String returning = cluster.node(0).membership().self();
            String meanwhile = cluster.node(other).membership().self();
            String read = cluster.keyOwnedBy(0, "read-");
            String incremented = cluster.keyOwnedBy(0, "incr-");
            for (String key : List.of(read, incremented)) {
                cluster.group(0, "kv").put(key, "10".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            }

            // Node 0 drops out of both rings; its hand-off cannot reach the other node, so it keeps its copies.
            link.cut();
            cluster.node(0).membership().update(List.of(meanwhile));
            cluster.node(other).membership().update(List.of(meanwhile));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(0).handoffStats().batchesFailed() > 0);
            for (String key : List.of(read, incremented)) {
                cluster.group(other, "kv").put(key, "20".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
            }

            // Node 0 is back in its own ring; the other node has not heard yet, so it hands nothing back.
            cluster.node(0).membership().update(List.of(returning, meanwhile));
            link.restore();
            // Node 0 dialled the other node in vain while the link was cut, and waits out a backoff before it dials
            // again: until then, it could not ask, and would serve what it holds.
            PeerRequest ping = PeerRequest.newBuilder().setFrom(returning).setPing(Ping.getDefaultInstance()).build();
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() ->
                    cluster.node(0).peerClient().call(meanwhile, ping, Duration.ofSeconds(1)).get(2, TimeUnit.SECONDS)
                            .hasPong());

            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .as("the newer value, from the member that held the key meanwhile").contains("20");
            assertThat(cluster.group(0, "kv").mutate(incremented, new Mutation.IncrementBy(1))
                    .get(5, TimeUnit.SECONDS).number()).as("counted on from the newer value").isEqualTo(21);

            cluster.node(other).membership().update(List.of(returning, meanwhile));
            cluster.awaitHandoffs();
            assertThat(cluster.group(0, "kv").get(incremented).get(5, TimeUnit.SECONDS))
                    .map(b -> new String(b, UTF_8)).as("the increment survives the hand-back").contains("21");
            assertThat(cluster.group(0, "kv").get(read).get(5, TimeUnit.SECONDS)).map(b -> new String(b, UTF_8))
                    .contains("20");
        }
    }
}
