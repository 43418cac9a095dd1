package io.ringcache.node.hot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HotCopyHoldersTest {

    @Test
    void writeTakesEveryHolderOfTheKeyOnce() {
        HotCopyHolders holders = new HotCopyHolders(Duration.ofSeconds(5), 100, (k, h) -> { });
        holders.add("k", "a:1");
        holders.add("k", "b:1");
        holders.add("k", "a:1");
        assertThat(holders.remove("k")).containsExactlyInAnyOrder("a:1", "b:1");
        assertThat(holders.remove("k")).isEmpty();
    }

    @Test
    void keyPushedOutForRoomHasItsHoldersInvalidatedAtOnce() {
        List<String> invalidated = new ArrayList<>();
        HotCopyHolders holders = new HotCopyHolders(Duration.ofSeconds(5), 10,
                (key, members) -> invalidated.add(key + "@" + Set.copyOf(members)));
        for (int i = 0; i < 100; i++) {
            holders.add("k" + i, "a:1");
        }
        assertThat(holders.keysWithCopies()).isLessThanOrEqualTo(10);
        assertThat(invalidated).hasSizeGreaterThanOrEqualTo(90).allMatch(s -> s.endsWith("@[a:1]"));
    }

    @Test
    void aMemberHandedACopyIsKnownUntilTheCopyAndASecondHaveRunOutOrAWriteTookIt() {
        AtomicLong nanos = new AtomicLong();
        HotCopyHolders holders = new HotCopyHolders(Duration.ofSeconds(5), 100, (k, h) -> { }, nanos::get);
        holders.add("k", "a:1");
        assertThat(holders.handedTo("k", "a:1")).isTrue();
        assertThat(holders.handedTo("k", "b:1")).isFalse();
        assertThat(holders.handedTo("other", "a:1")).isFalse();

        nanos.addAndGet(Duration.ofMillis(5_900).toNanos());
        assertThat(holders.handedTo("k", "a:1")).as("copy ran out 0.9 s ago").isTrue();
        nanos.addAndGet(Duration.ofMillis(200).toNanos());
        assertThat(holders.handedTo("k", "a:1")).as("copy ran out 1.1 s ago").isFalse();

        holders.add("k", "a:1");
        holders.remove("k");
        assertThat(holders.handedTo("k", "a:1")).as("a write invalidated it").isFalse();
    }
}
