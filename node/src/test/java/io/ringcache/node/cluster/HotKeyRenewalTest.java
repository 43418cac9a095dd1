package io.ringcache.node.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.group.Group;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A member whose hot copy ran out and that asks for the key again gets a new copy at once, though the owner has
 * not counted the key's rate above the threshold since; a member that never held a copy does not.
 */
class HotKeyRenewalTest {

    private static final Duration HOT_TTL = Duration.ofSeconds(2);
    /**
     * Past the copy's TTL and the owner's last two one-second rate windows (both end by 2 s after the copy was
     * made), as early as that allows: the owner remembers the holder until 3 s after it handed the copy out.
     */
    private static final Duration ASK_AGAIN_AFTER = Duration.ofMillis(2_100);

    private TestCluster cluster;

    @BeforeEach
    void start() {
        cluster = TestCluster.start(3, Map.of(
                "ringcache.groups.kv.max-bytes", "4M",
                "ringcache.hot-keys.threshold", "5",
                "ringcache.hot-keys.ttl", HOT_TTL.toMillis() + "ms"));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static String read(Group group, String key) throws Exception {
        return group.get(key).get(5, TimeUnit.SECONDS).map(b -> new String(b, UTF_8)).orElse(null);
    }

    @Test
    void aCopyThatRanOutIsRenewedForItsHolderOnly() throws Exception {
        String key = cluster.keyOwnedBy(0, "renew-");
        cluster.group(0, "kv").put(key, "v".getBytes(UTF_8), Optional.empty()).get(5, TimeUnit.SECONDS);
        Group holder = cluster.group(1, "kv");
        for (int i = 0; i < 100 && holder.routingStats().hotCopiesHeld() == 0; i++) {
            read(holder, key);
        }
        assertThat(holder.routingStats().hotCopiesHeld()).isEqualTo(1);
        long copiedAt = System.nanoTime();

        Thread.sleep(Duration.ofNanos(copiedAt + ASK_AGAIN_AFTER.toNanos() - System.nanoTime()).toMillis());
        long forwarded = holder.routingStats().forwarded();
        long hotHits = holder.routingStats().hotHits();
        assertThat(read(holder, key)).isEqualTo("v");
        assertThat(holder.routingStats().forwarded()).as("the copy ran out: asked the owner").isEqualTo(forwarded + 1);
        assertThat(read(holder, key)).isEqualTo("v");
        assertThat(holder.routingStats().forwarded()).as("renewed: served from the copy").isEqualTo(forwarded + 1);
        assertThat(holder.routingStats().hotHits()).isEqualTo(hotHits + 1);

        Group newcomer = cluster.group(2, "kv");
        long newcomerForwarded = newcomer.routingStats().forwarded();
        read(newcomer, key);
        read(newcomer, key);
        assertThat(newcomer.routingStats().forwarded()).as("two reads in a second are not hot").isEqualTo(newcomerForwarded + 2);
    }
}
