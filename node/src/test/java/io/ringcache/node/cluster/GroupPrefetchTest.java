package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.group.Group;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Group#prefetch}: a look at this node's store that counts no read and asks no other node. */
class GroupPrefetchTest {

    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(2, Map.of());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void findsWhatThisNodeHoldsWithoutCountingAReadOrForwarding() throws Exception {
        String key = cluster.keyOwnedBy(0, "prefetched");
        Group owner = cluster.group(0, "default");
        Group other = cluster.group(1, "default");
        other.put(key, "12345".getBytes(UTF_8), Optional.empty()).get(10, TimeUnit.SECONDS);
        long ownerGets = owner.stats().gets();
        long otherGets = other.stats().gets();
        long forwarded = other.routingStats().forwarded();

        assertThat(owner.prefetch(key).value()).asString(UTF_8).isEqualTo("12345");
        assertThat(owner.prefetch("absent")).isNull();
        assertThat(other.prefetch(key)).isNull();

        assertThat(owner.stats().gets()).isEqualTo(ownerGets);
        assertThat(other.stats().gets()).isEqualTo(otherGets);
        assertThat(other.routingStats().forwarded()).isEqualTo(forwarded);
    }
}
