package io.ringcache.node.hot;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
}
