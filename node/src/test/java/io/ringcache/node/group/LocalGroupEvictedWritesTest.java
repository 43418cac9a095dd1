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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A write this node applied and then evicted for room is remembered for a minute, as a delete is: after a ring change,
 * the key's previous holder, a hand-off or a late copy cannot put back a value older than a write a client already saw
 * acknowledged.
 */
class LocalGroupEvictedWritesTest {

    /** Room for a few small entries only, so that writing others evicts a key. */
    static final long BUDGET_BYTES = 1_000;

    private final AtomicLong now = new AtomicLong(1_000_000);

    private LocalGroup groupOn(EvictionPolicyName policy, Loader loader) {
        return new LocalGroup(
                new GroupSettings("kv", BUDGET_BYTES, policy, Optional.empty(),
                        Optional.ofNullable(loader).map(l -> "http://127.0.0.1:1/{key}"), Duration.ofSeconds(5)),
                Stores.create(policy, BUDGET_BYTES, EntryCharge.BYTES, now::get), loader, Limits.DEFAULTS, now::get);
    }

    /** The versions of the two writes of a key: the one replaced, and the one the store then evicted. */
    record Writes(long older, long evicted) {
    }

    /**
     * Writes "older" then "written" to {@code key}, then other keys until the store evicts it; {@code g}'s budget
     * must hold a few small entries only, as {@link #BUDGET_BYTES} does.
     */
    static Writes writeTwiceThenEvict(LocalGroup g, String key) {
        long older = g.putEntry(key, "older".getBytes(UTF_8), StoredValue.NEVER);
        long written = g.putEntry(key, "written".getBytes(UTF_8), StoredValue.NEVER);
        // Each filler is read a few times: tinylfu evicts a key seen less often than the one it makes room for.
        for (int i = 0; i < 100 && g.mainStore().peekIncludingExpired(key) != null; i++) {
            g.putEntry("filler" + i, new byte[200], StoredValue.NEVER);
            for (int read = 0; read < 5; read++) {
                g.getHeld("filler" + i);
            }
        }
        assertThat(g.mainStore().peekIncludingExpired(key)).as("evicted for room").isNull();
        return new Writes(older, written);
    }

    private static PreviousHolder holding(long version) {
        return key -> CompletableFuture.completedFuture(
                PreviousHolder.Held.value(StoredValue.of("previous holder's".getBytes(UTF_8), StoredValue.NEVER,
                        version)));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void aMissDoesNotServeAPreviousHoldersValueOlderThanAWriteEvictedHere(EvictionPolicyName policy)
            throws Exception {
        LocalGroup g = groupOn(policy, null);
        long older = writeTwiceThenEvict(g, "k").older();
        assertThat(g.getEntry("k", holding(older)).get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(g.getHeld("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void aReadThroughGroupLoadsAKeyWhoseWriteWasEvictedInsteadOfTakingAnOlderValue(EvictionPolicyName policy)
            throws Exception {
        LocalGroup g = groupOn(policy,
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))));
        long older = writeTwiceThenEvict(g, "k").older();
        Optional<StoredValue> read = g.getEntry("k", holding(older)).get(5, TimeUnit.SECONDS);
        assertThat(read).map(v -> new String(v.value(), UTF_8)).contains("from origin");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void olderHandOversCopiesAndMutationFetchesDoNotBringBackAKeyWhoseWriteWasEvicted(EvictionPolicyName policy)
            throws Exception {
        LocalGroup g = groupOn(policy, null);
        long older = writeTwiceThenEvict(g, "k").older();
        assertThat(g.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        assertThat(g.putEntryIfNewer("k", "older".getBytes(UTF_8), StoredValue.NEVER, older)).isFalse();
        g.takeFromPreviousHolder("k", holding(older)).get(5, TimeUnit.SECONDS);
        assertThat(g.getHeld("k")).isNull();
    }

    @Test
    void aPreviousHoldersValueNewerThanTheEvictedWriteIsKept() throws Exception {
        LocalGroup g = groupOn(EvictionPolicyName.LRU, null);
        writeTwiceThenEvict(g, "k");
        long newer = g.newestVersion() + 1;
        assertThat(g.getEntry("k", holding(newer)).get(5, TimeUnit.SECONDS)).map(StoredValue::version)
                .contains(newer);
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicyName.class)
    void theEvictedWriteItselfIsTakenBackFromAPreviousHolderOrACopy(EvictionPolicyName policy) throws Exception {
        // The previous owner, now a backup, still holds what it handed over (or a backup holds the owner's write):
        // not older than what was evicted here, so a read, a read-modify-write or a copy takes it back.
        LocalGroup g = groupOn(policy, null);
        long read = writeTwiceThenEvict(g, "read").evicted();
        long mutated = writeTwiceThenEvict(g, "mutated").evicted();
        long copied = writeTwiceThenEvict(g, "copied").evicted();
        long handedOver = writeTwiceThenEvict(g, "handedOver").evicted();

        assertThat(g.getEntry("read", holding(read)).get(5, TimeUnit.SECONDS)).map(StoredValue::version)
                .contains(read);
        assertThat(g.getHeld("read")).as("kept").isNotNull();
        g.takeFromPreviousHolder("mutated", holding(mutated)).get(5, TimeUnit.SECONDS);
        assertThat(g.getHeld("mutated")).as("an INCR counts on from it").isNotNull();
        assertThat(g.putEntryIfNewer("copied", "written".getBytes(UTF_8), StoredValue.NEVER, copied)).isTrue();
        assertThat(g.acceptHandedOver("handedOver", "written".getBytes(UTF_8), StoredValue.NEVER, handedOver))
                .isTrue();
    }

    @Test
    void anEvictedWriteIsRememberedForAMinuteAndToldApartFromRemovals() {
        LocalGroup g = groupOn(EvictionPolicyName.LRU, null);
        Writes writes = writeTwiceThenEvict(g, "k");
        assertThat(g.evictedVersion("k")).as("told to a member asking about an older copy")
                .isEqualTo(writes.evicted());
        assertThat(g.removedVersion("k")).as("not a delete").isEqualTo(StoredValue.UNVERSIONED);
        now.addAndGet(LocalGroup.RECENT_REMOVAL_MEMORY.toMillis() + 1);
        assertThat(g.evictedVersion("k")).isEqualTo(StoredValue.UNVERSIONED);
        assertThat(g.acceptHandedOver("k", "older".getBytes(UTF_8), StoredValue.NEVER, writes.older()))
                .as("a minute later, as after a delete").isTrue();
    }

    @Test
    void anEvictedLoadedValueLeavesNoVersionBehind() throws Exception {
        LocalGroup g = groupOn(EvictionPolicyName.LRU,
                key -> CompletableFuture.completedFuture(Optional.of("from origin".getBytes(UTF_8))));
        g.get("k").get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 10; i++) {
            g.mainStore().put("filler" + i, new byte[200], StoredValue.NEVER);
        }
        assertThat(g.mainStore().peekIncludingExpired("k")).as("evicted for room").isNull();
        assertThat(g.putEntryIfNewer("k", "any write".getBytes(UTF_8), StoredValue.NEVER, 1)).isTrue();
    }

    @Test
    void onceTheMemoryIsFullTheLatestEvictionsAreRememberedAndTheOldestForgotten() {
        LocalGroup g = groupOn(EvictionPolicyName.LRU, null);
        // Within the minute, more evictions than the memory holds: each write of a new key evicts the oldest one.
        int keys = LocalGroup.RECENT_REMOVALS_REMEMBERED + 10_000;
        for (int i = 0; i < keys; i++) {
            g.putEntry("key" + i, new byte[200], StoredValue.NEVER);
        }
        int evicted = (int) g.mainStore().stats().evictions();
        int latest = evicted - LocalGroup.RECENT_REMOVALS_REMEMBERED;
        assertThat(latest).as("more evictions than remembered").isPositive();
        RecentMemoryChecks.assertLatestRememberedOldestPushedOut(g::evictedVersion, latest, evicted, "evictions");
    }
}
