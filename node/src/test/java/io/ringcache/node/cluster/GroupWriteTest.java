package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.group.Group;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How soon {@link Group#put} and {@link Group#delete} are acknowledged: at once where nothing is to be waited for. */
class GroupWriteTest {

    private TestCluster cluster;

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void ownerWithoutBackupsAcknowledgesItsOwnWritesAtOnce() throws Exception {
        cluster = TestCluster.start(2, Map.of());
        Group owner = cluster.group(0, "default");
        String key = cluster.keyOwnedBy(0, "own");

        CompletableFuture<Void> put = owner.put(key, "v".getBytes(UTF_8), Optional.empty());
        assertThat(put).isCompleted();
        assertThat(owner.delete(key)).isCompletedWithValue(true);
        assertThat(owner.delete(key)).isCompletedWithValue(false);
        // A shared acknowledgement cannot be completed again by a caller.
        assertThat(put.complete(null)).isFalse();
        assertThat(owner.get(key).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void writeOfAnotherNodesKeyIsAcknowledgedByItsOwner() throws Exception {
        cluster = TestCluster.start(2, Map.of());
        Group owner = cluster.group(0, "default");
        Group requester = cluster.group(1, "default");
        String key = cluster.keyOwnedBy(0, "theirs");
        long forwarded = requester.routingStats().forwarded();

        requester.put(key, "v".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);

        assertThat(requester.routingStats().forwarded() - forwarded).isEqualTo(1);
        assertThat(owner.prefetch(key).value()).asString(UTF_8).isEqualTo("v");
        assertThat(requester.delete(key).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(owner.prefetch(key)).isNull();
    }

    @Test
    void ownerWithBackupsAcknowledgesOnceItsBackupHasTheWrite() throws Exception {
        cluster = TestCluster.start(2, Map.of("ringcache.backups", "1"));
        Group owner = cluster.group(0, "default");
        Group backup = cluster.group(1, "default");
        String key = cluster.keyOwnedBy(0, "backed-up");

        owner.put(key, "v".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);

        assertThat(backup.prefetch(key).value()).asString(UTF_8).isEqualTo("v");
    }
}
