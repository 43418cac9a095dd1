package io.ringcache.node.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HashRingTest {

    /** groupcache's test hash: the text read as a decimal integer. */
    private static final RingHash DECIMAL = Long::parseLong;
    private static final int KEYS = 100_000;

    @Test
    void crc32With50VnodesReproducesGroupcacheAssignment() {
        HashRing ring = HashRing.of(List.of("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003"), RingHash.CRC32, 50);
        assertThat(ring.owner("Tom")).isEqualTo("127.0.0.1:9001");
        assertThat(ring.owner("Jack")).isEqualTo("127.0.0.1:9001");
        assertThat(ring.owner("Sam")).isEqualTo("127.0.0.1:9002");
    }

    @Test
    void groupcacheTestHashVectorsHoldIncludingAfterAddingAMember() {
        HashRing ring = HashRing.of(List.of("6", "4", "2"), DECIMAL, 3);
        assertThat(ring.owner("2")).isEqualTo("2");
        assertThat(ring.owner("11")).isEqualTo("2");
        assertThat(ring.owner("23")).isEqualTo("4");
        assertThat(ring.owner("27")).isEqualTo("2");
        HashRing grown = ring.withMembers(List.of("6", "4", "2", "8"));
        assertThat(grown.owner("27")).isEqualTo("8");
    }

    @Test
    void memberOrderDoesNotMatter() {
        HashRing a = HashRing.of(List.of("a:1", "b:1", "c:1"), RingHash.XXH3, 160);
        HashRing b = HashRing.of(List.of("c:1", "a:1", "b:1", "a:1"), RingHash.XXH3, 160);
        for (int i = 0; i < 10_000; i++) {
            assertThat(a.owner("key-" + i)).isEqualTo(b.owner("key-" + i));
        }
        assertThat(b.members()).containsExactly("a:1", "b:1", "c:1");
    }

    @Test
    void addingAFifthMemberToFourMovesAboutAFifthOfTheKeys() {
        HashRing four = HashRing.of(members(4), RingHash.XXH3, 160);
        HashRing five = four.withMembers(members(5));
        int moved = 0;
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            String before = four.owner(key);
            String after = five.owner(key);
            if (!before.equals(after)) {
                moved++;
                assertThat(after).as("a key only moves to the new member").isEqualTo("10.0.0.5:7100");
            }
        }
        assertThat(moved).isLessThanOrEqualTo(KEYS * 30 / 100).isGreaterThan(KEYS * 10 / 100);
    }

    @Test
    void removingAMemberMovesOnlyItsKeys() {
        HashRing five = HashRing.of(members(5), RingHash.XXH3, 160);
        HashRing four = five.withMembers(members(4));
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            if (!five.owner(key).equals("10.0.0.5:7100")) {
                assertThat(four.owner(key)).isEqualTo(five.owner(key));
            }
        }
    }

    @Test
    void keysSpreadEvenlyWith160Vnodes() {
        HashRing ring = HashRing.of(members(4), RingHash.XXH3, 160);
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            counts.merge(ring.owner("key-" + i), 1, Integer::sum);
        }
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween(KEYS / 4 * 80 / 100, KEYS / 4 * 120 / 100));
    }

    @Test
    void ownerLookupAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        HashRing ring = HashRing.of(members(5), RingHash.XXH3, 160);
        String[] keys = new String[1_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "key-" + i;
        }
        int found = 0;
        for (int round = 0; round < 20; round++) {
            found += lookUpAll(ring, keys);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int round = 0; round < 100; round++) {
            found += lookUpAll(ring, keys);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(found).isEqualTo(120 * keys.length);
        // 100,000 lookups: anything allocated per lookup would be megabytes; allow the measurement's own few bytes.
        assertThat(allocated).isLessThan(1_024);
    }

    private static int lookUpAll(HashRing ring, String[] keys) {
        int found = 0;
        for (String key : keys) {
            if (ring.owner(key) != null) {
                found++;
            }
        }
        return found;
    }

    @Test
    void ownersGivesDistinctMembersStartingWithTheOwner() {
        HashRing ring = HashRing.of(members(4), RingHash.XXH3, 160);
        for (int i = 0; i < 1000; i++) {
            String key = "key-" + i;
            List<String> three = ring.owners(key, 3);
            assertThat(three).hasSize(3).doesNotHaveDuplicates().startsWith(ring.owner(key));
        }
        assertThat(ring.owners("k", 10)).hasSize(4);
        assertThat(ring.owners("k", 0)).isEmpty();
    }

    @Test
    void aLoneMemberOwnsEveryKeyWithoutHashingIt() {
        // Hashes the member's points (labels end with its id) and fails the test for any key.
        RingHash pointsOnly = label -> {
            if (label.endsWith("only:7100")) {
                return label.hashCode();
            }
            throw new AssertionError("hashed the key " + label);
        };
        HashRing ring = HashRing.of(List.of("only:7100"), pointsOnly, 160);
        for (String key : List.of("a", "key-1", "ümlaut", " ")) {
            assertThat(ring.owner(key)).isEqualTo("only:7100");
            assertThat(ring.owners(key, 3)).containsExactly("only:7100");
        }
        assertThat(ring.owners("k", 0)).isEmpty();
    }

    @Test
    void emptyRingHasNoOwner() {
        HashRing ring = HashRing.of(List.of(), RingHash.XXH3, 160);
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.owners("k", 2)).isEmpty();
        assertThatThrownBy(() -> ring.owner("k")).isInstanceOf(IllegalStateException.class)
                .hasMessage("the ring has no members");
    }

    @Test
    void hashIsChosenByName() {
        assertThat(RingHash.named("XXH3")).isSameAs(RingHash.XXH3);
        assertThat(RingHash.named("crc32")).isSameAs(RingHash.CRC32);
        assertThatThrownBy(() -> RingHash.named("md5")).hasMessage("'md5' is not a ring hash; use xxh3 or crc32");
        assertThatThrownBy(() -> HashRing.of(List.of("a"), RingHash.XXH3, 0)).hasMessageContaining("at least 1");
    }

    @Test
    void membershipSwapsRingsAndTellsListenersOnlyOfChanges() {
        Membership membership = new Membership("10.0.0.1:7100", HashRing.of(members(1), RingHash.XXH3, 160));
        List<List<String>> seen = new ArrayList<>();
        AtomicReference<HashRing> previous = new AtomicReference<>();
        membership.onChange((before, after) -> {
            previous.set(before);
            seen.add(after.members());
        });
        assertThat(membership.ring().owner("anything")).isEqualTo("10.0.0.1:7100");
        membership.update(members(2));
        membership.update(List.of("10.0.0.2:7100", "10.0.0.1:7100"));
        assertThat(seen).containsExactly(members(2));
        assertThat(previous.get().members()).containsExactly("10.0.0.1:7100");
        assertThat(membership.ring().members()).containsExactlyElementsOf(members(2));
    }

    private static List<String> members(int n) {
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            list.add("10.0.0." + i + ":7100");
        }
        return list;
    }
}
