package io.ringcache.node.group;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringcache.node.store.EntryCharge;
import io.ringcache.node.store.EvictionPolicyName;
import io.ringcache.node.store.StoredValue;
import io.ringcache.node.store.Stores;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes copied from other members (backups, hinted hand-off, hand-over) apply only over older versions of a key,
 * including versions deleted, or let expire, in the last minute.
 */
class LocalGroupVersionsTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LocalGroup group = new LocalGroup(
            new GroupSettings("kv", 1 << 20, EvictionPolicyName.LRU, Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5)),
            Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get), null, Limits.DEFAULTS,
            now::get);

    private String held(String key) {
        return held(key, group);
    }

    private static String held(String key, LocalGroup g) {
        StoredValue v = g.mainStore().peek(key);
        return v == null ? null : new String(v.value(), UTF_8);
    }

    @Test
    void theOwnersWritesGetGrowingVersionsKeptWithTheValue() {
        long first = group.putEntry("k", "a".getBytes(UTF_8), StoredValue.NEVER);
        long second = group.putEntry("k", "b".getBytes(UTF_8), StoredValue.NEVER);
        AppliedWrite deleted = group.delete("k");
        assertThat(second).isGreaterThan(first);
        assertThat(deleted.version()).isGreaterThan(second);
        assertThat(deleted.removed()).isTrue();
        assertThat(group.putEntryIfNewer("k", "as old as the delete".getBytes(UTF_8), StoredValue.NEVER,
                deleted.version())).as("the delete's version is remembered").isFalse();
        long third = group.putEntry("k", "c".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.mainStore().peek("k").version()).isEqualTo(third);
    }

    @Test
    void aCopyAppliesOverAnOlderVersionAndNotOverTheSameOrANewerOne() {
        long version = group.putEntry("k", "owner's".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, version - 1)).isFalse();
        assertThat(group.putEntryIfNewer("k", "same".getBytes(UTF_8), StoredValue.NEVER, version)).isFalse();
        assertThat(held("k")).isEqualTo("owner's");
        assertThat(group.putEntryIfNewer("k", "newer".getBytes(UTF_8), StoredValue.NEVER, version + 1)).isTrue();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.mainStore().peek("k").version()).isEqualTo(version + 1);
    }

    @Test
    void aDeleteKeepsOlderCopiesFromBringingTheKeyBack() {
        long written = group.putEntry("k", "v".getBytes(UTF_8), StoredValue.NEVER);
        long deleted = group.delete("k").version();
        assertThat(group.putEntryIfNewer("k", "late copy".getBytes(UTF_8), StoredValue.NEVER, written)).isFalse();
        assertThat(held("k")).isNull();
        assertThat(group.putEntryIfNewer("k", "after".getBytes(UTF_8), StoredValue.NEVER, deleted + 1)).isTrue();
        assertThat(held("k")).isEqualTo("after");
    }

    @Test
    void aCopiedDeleteAppliesOnlyOverOlderVersions() {
        long version = group.putEntry("k", "v".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.deleteIfNewer("k", version - 1)).isFalse();
        assertThat(held("k")).isEqualTo("v");
        assertThat(group.deleteIfNewer("k", version + 1)).isTrue();
        assertThat(held("k")).isNull();
        assertThat(group.putEntryIfNewer("k", "between".getBytes(UTF_8), StoredValue.NEVER, version)).isFalse();
    }

    @Test
    void aHandedOverEntryReplacesOnlyAnOlderVersion() {
        long kept = group.putEntry("k", "kept from before".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.acceptHandedOver("k", "newer".getBytes(UTF_8), StoredValue.NEVER, kept + 1)).isTrue();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, kept)).isFalse();
        assertThat(held("k")).isEqualTo("newer");
        assertThat(group.acceptHandedOver("loaded", "from an origin".getBytes(UTF_8), StoredValue.NEVER,
                StoredValue.UNVERSIONED)).as("an unversioned entry for a key not held here").isTrue();
    }

    @Test
    void anyCopiedWriteReplacesAValueLoadedFromTheOrigin() throws Exception {
        LocalGroup readThrough = new LocalGroup(
                new GroupSettings("items", 1 << 20, EvictionPolicyName.LRU, Optional.empty(),
                        Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(5)),
                Stores.create(EvictionPolicyName.LRU, 1 << 20, EntryCharge.BYTES, now::get),
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))),
                Limits.DEFAULTS, now::get);
        readThrough.get("k").get(5, TimeUnit.SECONDS);
        assertThat(readThrough.mainStore().peek("k").version()).isEqualTo(StoredValue.UNVERSIONED);
        assertThat(readThrough.putEntryIfNewer("k", "written".getBytes(UTF_8), StoredValue.NEVER, 1)).isTrue();
    }

    @Test
    void theOwnersNextWriteIsNewerThanAnyVersionItWasSent() {
        long far = (now.get() + 60_000) << WriteStamps.COUNTER_BITS;
        group.putEntryIfNewer("k", "from a member whose clock runs ahead".getBytes(UTF_8), StoredValue.NEVER, far);
        long mine = group.putEntry("k", "mine".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(mine).isGreaterThan(far);
    }

    /** Where a newer value whose TTL ran out is when an older copy of the key arrives. */
    enum ExpiredValue {
        /** Past its TTL but still in the store, hidden from reads. */
        NOT_YET_SWEPT,
        /** Removed by the store's expiry sweep. */
        SWEPT
    }

    /** Every eviction policy (both store implementations), with the newer value swept or not. */
    static Stream<Arguments> storesAndSweeps() {
        return Stream.of(EvictionPolicyName.values())
                .flatMap(policy -> Stream.of(ExpiredValue.values()).map(state -> Arguments.of(policy, state)));
    }

    private LocalGroup plainGroupOn(EvictionPolicyName policy) {
        return groupOn(policy, null);
    }

    private LocalGroup groupOn(EvictionPolicyName policy, Loader loader) {
        return new LocalGroup(
                new GroupSettings("kv", 1 << 20, policy, Optional.empty(),
                        Optional.ofNullable(loader).map(l -> "http://127.0.0.1:1/{key}"), Duration.ofSeconds(5)),
                Stores.create(policy, 1 << 20, EntryCharge.BYTES, now::get), loader, Limits.DEFAULTS, now::get);
    }

    /** Lets the TTL of the value in {@code g} run out, then leaves it in the store or sweeps it away. */
    private void expire(LocalGroup g, ExpiredValue state) {
        now.addAndGet(20);
        if (state == ExpiredValue.SWEPT) {
            g.mainStore().expireNow();
            assertThat(g.mainStore().stats().entries()).as("swept").isZero();
        }
    }

    /** Writes "older" to {@code key} for ever, then "newer" for 10 ms; returns the older write's version. */
    private long olderThenExpiringNewer(LocalGroup g, String key) {
        long older = g.putEntry(key, "older".getBytes(UTF_8), StoredValue.NEVER);
        now.incrementAndGet();
        g.putEntry(key, "newer".getBytes(UTF_8), now.get() + 10);
        return older;
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void anOlderCopyDoesNotBringBackAKeyWhoseNewerValueExpired(EvictionPolicyName policy, ExpiredValue state) {
        LocalGroup g = plainGroupOn(policy);
        long older = olderThenExpiringNewer(g, "k");
        expire(g, state);
        assertThat(g.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        assertThat(g.getHeld("k")).isNull();
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void anOlderHandedOverEntryDoesNotBringBackAKeyWhoseNewerValueExpired(EvictionPolicyName policy,
                                                                          ExpiredValue state) {
        LocalGroup g = plainGroupOn(policy);
        long older = olderThenExpiringNewer(g, "k");
        expire(g, state);
        assertThat(g.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        assertThat(g.getHeld("k")).isNull();
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void aCopiedDeleteOlderThanAnExpiredValueLeavesItsVersionRemembered(EvictionPolicyName policy,
                                                                        ExpiredValue state) {
        LocalGroup g = plainGroupOn(policy);
        long older = olderThenExpiringNewer(g, "k");
        long newer = g.mainStore().peek("k").version();
        expire(g, state);
        assertThat(g.deleteIfNewer("k", older)).as("older than the expired value").isFalse();
        assertThat(g.putEntryIfNewer("k", "between".getBytes(UTF_8), StoredValue.NEVER, newer - 1))
                .as("a copy older than the expired value, newer than the copied delete").isFalse();
        assertThat(g.getHeld("k")).isNull();
        assertThat(g.putEntryIfNewer("k", "later".getBytes(UTF_8), StoredValue.NEVER, newer + 1)).isTrue();
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void aPreviousHoldersOlderValueDoesNotBringBackAKeyWhoseNewerValueExpired(EvictionPolicyName policy,
                                                                              ExpiredValue state) throws Exception {
        LocalGroup g = plainGroupOn(policy);
        long older = olderThenExpiringNewer(g, "k");
        expire(g, state);
        PreviousHolder holdsTheOlder = key -> CompletableFuture.completedFuture(
                PreviousHolder.Held.value(StoredValue.of("older".getBytes(UTF_8), StoredValue.NEVER, older)));
        assertThat(g.getEntry("k", holdsTheOlder).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(g.getHeld("k")).isNull();
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void aReadThroughGroupLoadsAKeyWhoseNewerValueExpiredInsteadOfTakingAPreviousHoldersOlderOne(
            EvictionPolicyName policy, ExpiredValue state) throws Exception {
        AtomicInteger loads = new AtomicInteger();
        LocalGroup g = groupOn(policy, key -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8)));
        });
        long older = olderThenExpiringNewer(g, "k");
        expire(g, state);
        PreviousHolder holdsTheOlder = key -> CompletableFuture.completedFuture(
                PreviousHolder.Held.value(StoredValue.of("older".getBytes(UTF_8), StoredValue.NEVER, older)));
        Optional<StoredValue> read = g.getEntry("k", holdsTheOlder).get(5, TimeUnit.SECONDS);
        assertThat(read).map(v -> new String(v.value(), UTF_8)).contains("from origin");
        assertThat(loads).hasValue(1);
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void aValueLoadedOverAnExpiredOneIsNotReplacedByACopyOlderThanTheExpiredOne(EvictionPolicyName policy,
                                                                                ExpiredValue state) throws Exception {
        LocalGroup g = groupOn(policy,
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))));
        long older = olderThenExpiringNewer(g, "k");
        expire(g, state);
        assertThat(g.get("k").get(5, TimeUnit.SECONDS)).map(v -> new String(v, UTF_8)).contains("from origin");
        assertThat(g.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        assertThat(held("k", g)).isEqualTo("from origin");
    }

    @Test
    void aLoadOverAnExpiredValueTheSweepHasNotReachedKeepsItsVersion() throws Exception {
        // A tinylfu put clears at most 1,024 due values before it writes: with more due, the load below replaces
        // the expired value itself.
        LocalGroup g = groupOn(EvictionPolicyName.TINYLFU,
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))));
        for (int i = 0; i < 2_000; i++) {
            g.putEntry("due" + i, new byte[1], now.get() + 5);
        }
        long older = olderThenExpiringNewer(g, "k");
        expire(g, ExpiredValue.NOT_YET_SWEPT);
        assertThat(g.get("k").get(5, TimeUnit.SECONDS)).map(v -> new String(v, UTF_8)).contains("from origin");
        assertThat(g.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        assertThat(held("k", g)).isEqualTo("from origin");
    }

    @ParameterizedTest
    @MethodSource("storesAndSweeps")
    void anExpiredLoadedValueLeavesNoVersionBehind(EvictionPolicyName policy, ExpiredValue state) throws Exception {
        LocalGroup g = new LocalGroup(
                new GroupSettings("items", 1 << 20, policy, Optional.of(Duration.ofMillis(10)),
                        Optional.of("http://127.0.0.1:1/{key}"), Duration.ofSeconds(5)),
                Stores.create(policy, 1 << 20, EntryCharge.BYTES, now::get),
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))),
                Limits.DEFAULTS, now::get);
        g.get("k").get(5, TimeUnit.SECONDS);
        expire(g, state);
        assertThat(g.putEntryIfNewer("k", "any write".getBytes(UTF_8), StoredValue.NEVER, 1)).isTrue();
    }

    @Test
    void aClearRefusesCopiesAndHandOversOfWritesOlderThanIt() {
        long before = group.putEntry("k", "before the clear".getBytes(UTF_8), StoredValue.NEVER);
        group.clear();
        assertThat(group.acceptHandedOver("k", "in transit".getBytes(UTF_8), StoredValue.NEVER, before)).isFalse();
        assertThat(group.putEntryIfNewer("other", "late copy".getBytes(UTF_8), StoredValue.NEVER, before)).isFalse();
        assertThat(group.acceptHandedOver("loaded", "no version".getBytes(UTF_8), StoredValue.NEVER,
                StoredValue.UNVERSIONED)).as("a loaded value, just after the clear").isFalse();
        assertThat(group.mainStore().stats().entries()).isZero();

        long after = group.putEntry("k", "after the clear".getBytes(UTF_8), StoredValue.NEVER);
        assertThat(group.acceptHandedOver("moved", "written after".getBytes(UTF_8), StoredValue.NEVER, after)).isTrue();
        now.addAndGet(61_000);
        assertThat(group.acceptHandedOver("loaded", "no version".getBytes(UTF_8), StoredValue.NEVER,
                StoredValue.UNVERSIONED)).as("a loaded value, a minute later").isTrue();
    }

    @Test
    void aClearVersionedElsewhereOrdersEveryLaterWriteHereAfterIt() {
        long far = (now.get() + 60_000) << WriteStamps.COUNTER_BITS;
        group.clear(far);
        assertThat(group.putEntryIfNewer("k", "older than the clear".getBytes(UTF_8), StoredValue.NEVER, far - 1))
                .isFalse();
        assertThat(group.putEntry("k", "written here after it".getBytes(UTF_8), StoredValue.NEVER)).isGreaterThan(far);
        group.clear(far - 5);
        assertThat(group.putEntryIfNewer("j", "still older".getBytes(UTF_8), StoredValue.NEVER, far - 1))
                .as("an older clear arriving late does not move the mark back").isFalse();
    }

    /** A previous holder that holds nothing of a key and remembers its removal at {@code version}. */
    private static PreviousHolder removedAt(long version) {
        return key -> CompletableFuture.completedFuture(
                new PreviousHolder.Held(Optional.empty(), version, StoredValue.UNVERSIONED));
    }

    @Test
    void aPreviousHoldersRemovalTakesAwayAnOlderCopyHeldHereAndIsRemembered() throws Exception {
        long copy = group.putEntry("k", "held from before".getBytes(UTF_8), StoredValue.NEVER);
        long removal = copy + 5;
        group.takeNewerFromPreviousHolder("k", removedAt(removal)).get(5, TimeUnit.SECONDS);
        assertThat(held("k")).isNull();
        assertThat(group.putEntryIfNewer("k", "between".getBytes(UTF_8), StoredValue.NEVER, removal - 1))
                .as("a copy older than the removal, arriving later").isFalse();
        assertThat(group.putEntry("k", "written after".getBytes(UTF_8), StoredValue.NEVER))
                .as("the owner's next write").isGreaterThan(removal);
    }

    @Test
    void aPreviousHoldersRemovalOlderThanTheCopyHeldHereLeavesIt() throws Exception {
        long copy = group.putEntry("k", "written after the removal".getBytes(UTF_8), StoredValue.NEVER);
        group.takeNewerFromPreviousHolder("k", removedAt(copy - 1)).get(5, TimeUnit.SECONDS);
        assertThat(held("k")).isEqualTo("written after the removal");
    }

    @Test
    void aMissToldOfARemovalRefusesOlderCopiesArrivingLater() throws Exception {
        long removal = group.clearVersion();
        assertThat(group.getEntry("k", removedAt(removal)).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(group.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, removal - 1)).isFalse();
        assertThat(held("k")).isNull();
        assertThat(group.acceptHandedOver("k", "newer".getBytes(UTF_8), StoredValue.NEVER, removal + 1)).isTrue();
        assertThat(held("k")).isEqualTo("newer");
    }

    @Test
    void theLatestRemovalRememberedIsADeleteExpiryOrClearOfTheLastMinute() {
        assertThat(group.removedVersion("k")).as("never removed").isEqualTo(StoredValue.UNVERSIONED);
        group.putEntry("k", "v".getBytes(UTF_8), StoredValue.NEVER);
        long deleted = group.delete("k").version();
        assertThat(group.removedVersion("k")).as("deleted").isEqualTo(deleted);
        long expired = group.putEntry("e", "v".getBytes(UTF_8), now.get() + 10);
        group.putEntry("live", "v".getBytes(UTF_8), StoredValue.NEVER);
        now.addAndGet(20);
        assertThat(group.removedVersion("e")).as("expired, not yet swept").isEqualTo(expired);
        group.mainStore().expireNow();
        assertThat(group.removedVersion("e")).as("swept").isEqualTo(expired);
        assertThat(group.removedVersion("live")).as("held, not removed").isEqualTo(StoredValue.UNVERSIONED);

        now.addAndGet(LocalGroup.RECENT_REMOVAL_MEMORY.toMillis() + 1);
        assertThat(group.removedVersion("k")).as("deleted more than a minute ago").isEqualTo(StoredValue.UNVERSIONED);
        long cleared = group.clearVersion();
        group.clear(cleared);
        assertThat(group.removedVersion("k")).as("the group cleared").isEqualTo(cleared);
        now.addAndGet(LocalGroup.RECENT_REMOVAL_MEMORY.toMillis() + 1);
        assertThat(group.removedVersion("k")).as("a minute after the clear").isEqualTo(StoredValue.UNVERSIONED);
    }

    @Test
    void onceTheMemoryIsFullTheLatestDeletesAreRememberedAndTheOldestForgotten() {
        int keys = LocalGroup.RECENT_REMOVALS_REMEMBERED + 10_000;
        for (int i = 0; i < keys; i++) {
            group.delete("key" + i);
        }
        int latest = keys - LocalGroup.RECENT_REMOVALS_REMEMBERED;
        RecentMemoryChecks.assertLatestRememberedOldestPushedOut(group::removedVersion, latest, keys, "deletes");
    }
}
