package io.ringcache.node.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order each classic policy evicts in, on unit-charged stores where the budget is an entry count. */
class EvictionOrderTest {

    private static final byte[] V = {1};

    private static Store store(EvictionPolicyName policy, long entries) {
        return Stores.create(policy, entries, EntryCharge.UNIT, TimeSource.SYSTEM);
    }

    private static void put(Store store, String... keys) {
        for (String key : keys) {
            store.put(key, V, StoredValue.NEVER);
        }
    }

    private static void get(Store store, String... keys) {
        for (String key : keys) {
            assertThat(store.get(key)).as("get %s", key).isNotNull();
        }
    }

    /** Puts each of {@code newcomers} and returns the key each one pushed out. */
    private static List<String> evictedBy(Store store, List<String> resident, String... newcomers) {
        List<String> evicted = new ArrayList<>();
        List<String> held = new ArrayList<>(resident);
        for (String key : newcomers) {
            store.put(key, V, StoredValue.NEVER);
            String gone = held.stream().filter(k -> !store.containsKey(k)).findFirst().orElseThrow();
            held.remove(gone);
            held.add(key);
            evicted.add(gone);
        }
        return evicted;
    }

    @Test
    void lruEvictsLeastRecentlyUsedFirst() {
        Store lru = store(EvictionPolicyName.LRU, 4);
        put(lru, "a", "b", "c", "d");
        get(lru, "a", "c");
        put(lru, "b"); // an overwrite is a use too

        assertThat(evictedBy(lru, List.of("a", "b", "c", "d"), "x", "y", "z", "w"))
                .containsExactly("d", "a", "c", "b");
    }

    @Test
    void fifoEvictsInInsertionOrderWhateverIsRead() {
        Store fifo = store(EvictionPolicyName.FIFO, 3);
        put(fifo, "a", "b", "c");
        get(fifo, "a", "a", "b");

        assertThat(evictedBy(fifo, List.of("a", "b", "c"), "x", "y", "z")).containsExactly("a", "b", "c");
    }

    @Test
    void fifoOverwriteMovesTheEntryToTheBackOfTheQueue() {
        Store fifo = store(EvictionPolicyName.FIFO, 3);
        put(fifo, "a", "b", "c");
        put(fifo, "a");

        assertThat(evictedBy(fifo, List.of("a", "b", "c"), "x", "y", "z")).containsExactly("b", "c", "a");
    }

    @Test
    void lfuEvictsLeastFrequentlyUsedFirst() {
        Store lfu = store(EvictionPolicyName.LFU, 3);
        put(lfu, "a", "b", "c");
        get(lfu, "a", "a", "a", "c");
        put(lfu, "b", "b", "b", "b"); // writes count: b is used 5 times

        // Each newcomer has frequency 1 and is the most recent of its frequency.
        assertThat(evictedBy(lfu, List.of("a", "b", "c"), "x")).containsExactly("c");
        assertThat(evictedBy(lfu, List.of("a", "b", "x"), "y")).containsExactly("x");
    }

    @Test
    void lfuBreaksFrequencyTiesByRecency() {
        Store lfu = store(EvictionPolicyName.LFU, 3);
        put(lfu, "a", "b", "c");
        get(lfu, "c", "a", "b"); // all at frequency 2; c is the least recently used

        assertThat(evictedBy(lfu, List.of("a", "b", "c"), "x")).containsExactly("c");
    }

    @Test
    void lfuForgetsTheFrequencyOfAnEvictedKey() {
        Store lfu = store(EvictionPolicyName.LFU, 2);
        put(lfu, "a", "b");
        get(lfu, "a", "a", "b", "b", "b");
        lfu.remove("a");
        put(lfu, "a"); // back with frequency 1
        put(lfu, "c");

        assertThat(lfu.containsKey("a")).isFalse();
        assertThat(lfu.containsKey("b")).isTrue();
        assertThat(lfu.containsKey("c")).isTrue();
    }

    @Test
    void lru2EvictsOnceSeenEntriesFirstInLruOrder() {
        Store lru2 = store(EvictionPolicyName.LRU2, 4);
        put(lru2, "a", "b", "c", "d");
        get(lru2, "a", "b"); // a and b are protected

        assertThat(evictedBy(lru2, List.of("a", "b", "c", "d"), "x", "y")).containsExactly("c", "d");
    }

    @Test
    void lru2EvictsTheOldestSecondToLastUseWhenProbationIsEmpty() {
        Store lru2 = store(EvictionPolicyName.LRU2, 3);
        put(lru2, "a", "b", "c");
        // Second-to-last uses: a at its put (1), b at its put (2), c at its put (3).
        get(lru2, "a", "b", "c");
        // a's uses are now 1, 4, 7: second-to-last 4. b: 2, 5 (second-to-last 2). c: 3, 6 (3).
        get(lru2, "a");

        // Probation is empty, so x pushes out the oldest second-to-last use: b.
        assertThat(evictedBy(lru2, List.of("a", "b", "c"), "x")).containsExactly("b");
        get(lru2, "x"); // promote x: its second-to-last use (8) is the newest
        assertThat(evictedBy(lru2, List.of("a", "c", "x"), "y")).containsExactly("c");
    }

    @Test
    void lru2KeepsHotKeysThroughALongScanOfOnceSeenKeys() {
        Store lru2 = store(EvictionPolicyName.LRU2, 10);
        for (int i = 0; i < 5; i++) {
            put(lru2, "hot" + i);
            get(lru2, "hot" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            put(lru2, "scan" + i);
        }

        for (int i = 0; i < 5; i++) {
            assertThat(lru2.containsKey("hot" + i)).as("hot%d", i).isTrue();
        }
        assertThat(lru2.stats().entries()).isEqualTo(10);
    }

    @Test
    void lru2CachesAValueLargerThanAQuarterOfTheBudget() {
        Store lru2 = Stores.create(EvictionPolicyName.LRU2, 1_000, EntryCharge.BYTES, TimeSource.SYSTEM);
        lru2.put("small", new byte[100], StoredValue.NEVER);
        lru2.put("big", new byte[700], StoredValue.NEVER); // 700 + 3 + 64 > 250

        assertThat(lru2.get("big")).isNotNull();
        assertThat(lru2.get("small")).isNotNull();
    }
}
